/**
 * Building the page from data. Text always goes in as text nodes (never as HTML), so nothing the API
 * returns can become markup or script.
 */
export type Child = Node | string | number | null | undefined | false | readonly Child[];
type AttributeValue = string | number | boolean | null | undefined;
export type Attributes = Record<string, AttributeValue | ((event: Event) => void)>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes | null = null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (typeof value === 'function') element.addEventListener(name.replace(/^on/, ''), value);
    else if (value === true) element.setAttribute(name, '');
    else if (value !== false && value !== null && value !== undefined) element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

export function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

/**
 * Text whose `quoted` parts are commands or field names (as the API's descriptions write them): shown as
 * code, never with the backticks themselves.
 */
export const richText = (text: string): Child[] => text.split(/`([^`]+)`/).map((part, index) => (index % 2 === 1 ? h('code', null, part) : part));

/** A link inside the console (hash routes). */
export const link = (route: string, ...children: Child[]): HTMLAnchorElement => h('a', { href: `#${route}`, class: 'link' }, ...children);

/** A row of a summary list: a term and its description. */
export const summaryRow = (term: string, ...description: Child[]): HTMLDivElement =>
  h('div', { class: 'summary-row' }, h('dt', null, term), h('dd', null, ...(description.length > 0 ? description : ['—'])));

export const summaryList = (...rows: (HTMLDivElement | null | false)[]): HTMLDListElement => h('dl', { class: 'summary-list' }, ...rows);

export type TagColour = 'green' | 'red' | 'yellow' | 'blue' | 'grey' | 'purple' | 'orange';
export const tag = (text: string, colour: TagColour = 'grey'): HTMLElement => h('strong', { class: `tag tag-${colour}` }, text);

/** A table with a caption and column headers, for data whose rows are read across. */
export function table(caption: Child, headers: readonly string[], rows: readonly (readonly Child[])[]): HTMLTableElement {
  return h(
    'table',
    { class: 'table' },
    h('caption', null, caption),
    h('thead', null, h('tr', null, ...headers.map((header) => h('th', { scope: 'col' }, header)))),
    h('tbody', null, ...rows.map((cells) => h('tr', null, ...cells.map((cell) => h('td', null, cell))))),
  );
}

export const button = (text: string, attributes: Attributes = {}): HTMLButtonElement => h('button', { type: 'button', class: 'button', ...attributes }, text);
