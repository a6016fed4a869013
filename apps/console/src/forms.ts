import type { FieldError, Problem } from './api.js';
import { DATE_FORMS_HINT, parseDateInput } from './dates.js';
import { Child, h, replaceChildren, richText } from './dom.js';
import { formatDate, label } from './format.js';

export interface Option {
  readonly value: string;
  readonly label: string;
}

export interface FieldSpec {
  readonly name: string;
  readonly label: string;
  readonly kind: 'text' | 'date' | 'number' | 'select' | 'checkbox' | 'textarea' | 'password';
  readonly hint?: string | null;
  readonly options?: readonly Option[];
  readonly value?: string;
  /** For a select: the text of the empty first choice (omitted: no empty choice). */
  readonly placeholder?: string;
  readonly width?: 'short' | 'medium' | 'long';
  readonly autocomplete?: string;
  readonly inputmode?: 'numeric';
}

export type FormValues = Record<string, string | boolean>;

/** Options from a list of codes the API publishes, in words. */
export const optionsOf = (codes: readonly string[]): Option[] => codes.map((code) => ({ value: code, label: label(code) }));

const fieldId = (formId: string, name: string): string => `${formId}-${name}`;

/**
 * A form whose rules are the API's: no browser validation (`novalidate`), so the API's problem+json
 * field errors are what the user sees, beside the fields they are about, with a summary on top.
 */
export class Form {
  readonly element: HTMLFormElement;
  private readonly summary: HTMLDivElement;
  private readonly groups = new Map<string, { group: HTMLDivElement; input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement; error: HTMLParagraphElement }>();

  constructor(
    readonly id: string,
    readonly fields: readonly FieldSpec[],
    submitLabel: string,
    onSubmit: (values: FormValues, form: Form) => void | Promise<void>,
    extra: { before?: Child; after?: Child } = {},
  ) {
    this.summary = h('div', { class: 'error-summary', role: 'alert', tabindex: '-1', hidden: true, 'aria-labelledby': `${id}-summary-title` });
    const submit = h('button', { type: 'submit', class: 'button' }, submitLabel);
    this.element = h(
      'form',
      { id, novalidate: true, class: 'form' },
      this.summary,
      extra.before,
      ...fields.map((field) => this.fieldElement(field)),
      h('div', { class: 'form-actions' }, submit, extra.after),
    );
    this.element.addEventListener('submit', (event) => {
      event.preventDefault();
      if (submit.disabled) return;
      submit.disabled = true;
      this.element.setAttribute('aria-busy', 'true');
      Promise.resolve(onSubmit(this.values(), this)).finally(() => {
        submit.disabled = false;
        this.element.removeAttribute('aria-busy');
      });
    });
  }

  values(): FormValues {
    const values: FormValues = {};
    for (const [name, { input }] of this.groups) {
      if (input instanceof HTMLInputElement && input.type === 'checkbox') values[name] = input.checked;
      // A date the console cannot read goes to the API as typed, so the API's field error explains it.
      else if (input.dataset.date !== undefined) values[name] = parseDateInput(input.value) ?? input.value.trim();
      else values[name] = input.value.trim();
    }
    return values;
  }

  /** Shows the API's rejection: each field error beside its field, everything in the summary. */
  showProblem(problem: Problem, fieldNames: Record<string, string> = {}): void {
    this.clearErrors();
    const errors = problem.errors ?? [];
    const items: HTMLLIElement[] = [];
    for (const error of errors) {
      const target = this.groups.get(fieldNames[error.field] ?? error.field);
      if (target) this.markField(target, error);
      items.push(h('li', null, target ? this.summaryLink(target.input, error.message) : error.message));
    }
    replaceChildren(
      this.summary,
      h('h2', { id: `${this.id}-summary-title`, class: 'error-summary-title' }, 'There is a problem'),
      h('p', null, problem.detail),
      items.length > 0 ? h('ul', { class: 'error-summary-list' }, ...items) : null,
      problem.rule ? h('p', null, h('strong', null, 'Rule: '), problem.rule) : null,
      problem.nextStep ? h('p', null, h('strong', null, 'What to do: '), problem.nextStep) : null,
    );
    this.summary.hidden = false;
    this.summary.focus();
  }

  clearErrors(): void {
    this.summary.hidden = true;
    this.summary.replaceChildren();
    for (const { group, input, error } of this.groups.values()) {
      group.classList.remove('form-group-error');
      input.removeAttribute('aria-invalid');
      input.setAttribute('aria-describedby', describedBy(input, false));
      error.hidden = true;
      error.replaceChildren();
    }
  }

  private markField(target: { group: HTMLDivElement; input: HTMLElement; error: HTMLParagraphElement }, error: FieldError): void {
    target.group.classList.add('form-group-error');
    target.input.setAttribute('aria-invalid', 'true');
    target.input.setAttribute('aria-describedby', describedBy(target.input, true));
    const previous = target.error.hidden ? '' : `${target.error.textContent?.replace(/^Error: /, '')} `;
    target.error.replaceChildren(h('span', { class: 'visually-hidden' }, 'Error: '), `${previous}${error.message}`);
    target.error.hidden = false;
  }

  private summaryLink(input: HTMLElement, message: string): HTMLAnchorElement {
    // Not a route: moves focus to the field instead of changing the page.
    return h('a', { href: `#${input.id}`, onclick: (event: Event) => (event.preventDefault(), input.focus()) }, message);
  }

  private fieldElement(field: FieldSpec): HTMLDivElement {
    const id = fieldId(this.id, field.name);
    const hintText = field.kind === 'date' ? [field.hint, DATE_FORMS_HINT].filter(Boolean).join(' ') : field.hint;
    const hint = hintText ? h('p', { class: 'hint', id: `${id}-hint` }, richText(hintText)) : null;
    const error = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
    const input = this.inputElement(field, id);
    input.setAttribute('aria-describedby', describedBy(input, false));
    const control = field.kind === 'date' && input instanceof HTMLInputElement ? h('div', { class: 'date-input' }, input, dateEcho(input)) : input;
    const group =
      field.kind === 'checkbox'
        ? h('div', { class: 'form-group' }, error, h('div', { class: 'checkbox' }, input, h('label', { for: id }, field.label)), hint)
        : h('div', { class: 'form-group' }, h('label', { for: id, class: 'label' }, field.label), hint, error, control);
    this.groups.set(field.name, { group, input, error });
    return group;
  }

  private inputElement(field: FieldSpec, id: string): HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement {
    const common = { id, name: field.name, class: `input input-${field.width ?? 'medium'}`, 'data-hint': field.hint ? `${id}-hint` : null };
    switch (field.kind) {
      case 'select':
        return h(
          'select',
          { ...common, class: 'select' },
          field.placeholder !== undefined ? h('option', { value: '' }, field.placeholder) : null,
          ...(field.options ?? []).map((option) => h('option', { value: option.value, selected: option.value === field.value }, option.label)),
        );
      case 'textarea':
        return h('textarea', { ...common, class: 'textarea', rows: 3 }, field.value ?? '');
      case 'checkbox':
        return h('input', { ...common, class: 'checkbox-input', type: 'checkbox', checked: field.value === 'true' });
      case 'date':
        return h('input', { ...common, type: 'text', value: field.value ?? '', autocomplete: 'off', spellcheck: 'false', 'data-date': '' });
      default:
        return h('input', {
          ...common,
          type: field.kind === 'number' ? 'text' : field.kind,
          value: field.value ?? '',
          autocomplete: field.autocomplete ?? 'off',
          inputmode: field.kind === 'number' ? 'numeric' : (field.inputmode ?? null),
          spellcheck: field.kind === 'text' || field.kind === 'password' ? 'false' : null,
        });
    }
  }
}

/** The typed date read back as words beside the field, so a swapped day and month are seen before sending. */
function dateEcho(input: HTMLInputElement): HTMLElement {
  const echo = h('span', { class: 'date-echo', 'aria-live': 'polite', id: `${input.id}-echo` });
  const show = () => {
    const date = parseDateInput(input.value);
    echo.textContent = date ? formatDate(date) : input.value.trim() === '' ? '' : 'Not a date yet';
  };
  input.addEventListener('input', show);
  show();
  return echo;
}

function describedBy(input: HTMLElement, withError: boolean): string {
  return [input.dataset.hint, withError ? `${input.id}-error` : null].filter(Boolean).join(' ');
}

/** The request body from form values: empty optional fields left out, numbers as numbers, ticked boxes as true. */
export function bodyOf(values: FormValues, fields: readonly FieldSpec[]): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of fields) {
    const value = values[field.name];
    if (value === '' || value === false || value === undefined) continue;
    body[field.name] = field.kind === 'number' && /^\d+$/.test(String(value)) ? Number(value) : value;
  }
  return body;
}
