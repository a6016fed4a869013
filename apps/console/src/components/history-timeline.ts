import { h, link, tag } from '../dom.js';
import { formatDate, formatInstant, label, shortId } from '../format.js';
import { HistoryEntry } from '../model.js';

export interface HistoryContext {
  /** The signed-in key, so its own changes read "you". */
  readonly ownKeyId: string;
  /** Names of participants mentioned (the ECT a cascade followed). */
  readonly names: ReadonlyMap<string, string>;
  /** Events of other streams that caused entries here (a cascade's trigger), by event id. */
  readonly causes: ReadonlyMap<string, HistoryEntry>;
}

const POLICY_PREFIX = 'policy:';

/**
 * The audit trail as people read it: one line per event (when it took effect, what happened, who, why),
 * its details (when recorded, the key, what caused it, the recorded data) folded under the line, and a
 * filter by event type or by any text of the entry, so a long history stays a page one can scan.
 */
export function historyTimeline(events: readonly HistoryEntry[], context: HistoryContext): Node {
  if (events.length === 0) return h('p', { class: 'empty' }, 'Nothing recorded on or before this day.');
  const items = events.map((entry) => historyItem(entry, context));
  const list = h('ol', { class: 'history', 'aria-label': 'History' }, ...items);
  return h('div', null, historyFilter(events, items), list);
}

function historyFilter(events: readonly HistoryEntry[], items: readonly HTMLLIElement[]): Node {
  const types = [...new Set(events.map((entry) => entry.type))];
  const typeSelect = h(
    'select',
    { id: 'history-type', class: 'select' },
    h('option', { value: '' }, `All events (${events.length})`),
    ...types.map((type) => h('option', { value: type }, `${label(type)} (${events.filter((entry) => entry.type === type).length})`)),
  );
  const textInput = h('input', { id: 'history-text', class: 'input input-medium', type: 'search', autocomplete: 'off', spellcheck: 'false' });
  const shown = h('p', { class: 'hint history-count', role: 'status' }, `${events.length} events`);
  // What the text filter searches: the line and the folded details alike, as the reader would find them.
  const texts = new Map(items.map((item) => [item, (item.textContent ?? '').toLowerCase()]));
  const apply = () => {
    const words = textInput.value.trim().toLowerCase();
    let count = 0;
    for (const item of items) {
      const visible = (typeSelect.value === '' || item.dataset.type === typeSelect.value) && (words === '' || (texts.get(item) ?? '').includes(words));
      item.hidden = !visible;
      if (visible) count += 1;
    }
    shown.textContent = count === items.length ? `${items.length} events` : `${count} of ${items.length} events shown`;
  };
  typeSelect.addEventListener('change', apply);
  textInput.addEventListener('input', apply);
  return h(
    'div',
    { class: 'history-filter', role: 'search', 'aria-label': 'Filter the history' },
    h('div', { class: 'form-group' }, h('label', { for: 'history-type', class: 'label' }, 'Event type'), typeSelect),
    h('div', { class: 'form-group' }, h('label', { for: 'history-text', class: 'label' }, 'Containing'), textInput),
    shown,
  );
}

function historyItem(entry: HistoryEntry, context: HistoryContext): HTMLLIElement {
  const fact = (term: string, ...value: (Node | string)[]) => h('div', { class: 'history-fact' }, h('dt', null, term), h('dd', null, ...value));
  const why = entry.reason ? (/^[a-z0-9-]+$/.test(entry.reason) ? label(entry.reason) : entry.reason) : null;
  return h(
    'li',
    { class: 'history-item', 'data-type': entry.type },
    h(
      'details',
      { class: 'history-entry' },
      h(
        'summary',
        { class: 'history-line' },
        h('span', { class: 'history-date' }, entry.effectiveDate ? formatDate(entry.effectiveDate) : formatInstant(entry.recordedAt)),
        h('span', { class: 'history-title' }, label(entry.type), entry.cascadedFromEctId ? [' ', tag('Cascade', 'purple')] : null),
        h('span', { class: 'history-by' }, byWhom(entry, context)),
        h('span', { class: 'history-why' }, why ?? ''),
      ),
      h(
        'dl',
        { class: 'history-facts' },
        fact('Effective', entry.effectiveDate ? formatDate(entry.effectiveDate) : 'when recorded'),
        fact('Recorded', formatInstant(entry.recordedAt)),
        fact('By', actorOf(entry, context)),
        why ? fact('Why', why) : null,
        fact('Caused by', ...causeOf(entry, context)),
      ),
      details(entry),
    ),
  );
}

/** Who, in a few words for the line: the role, "you" for the signed-in key, or the policy that acted. */
function byWhom(entry: HistoryEntry, context: HistoryContext): string {
  if (entry.actor.id.startsWith(POLICY_PREFIX)) return `${label(entry.actor.id.slice(POLICY_PREFIX.length))} policy`;
  return entry.actor.id === context.ownKeyId ? `${label(entry.actor.role)} (you)` : label(entry.actor.role);
}

function actorOf(entry: HistoryEntry, context: HistoryContext): string {
  if (entry.actor.id.startsWith(POLICY_PREFIX)) return `${label(entry.actor.id.slice(POLICY_PREFIX.length))} policy (automatic)`;
  const who = `${label(entry.actor.role)} (key ${entry.actor.id})`;
  return entry.actor.id === context.ownKeyId ? `${who}, you` : who;
}

function causeOf(entry: HistoryEntry, context: HistoryContext): (Node | string)[] {
  if (entry.cascadedFromEctId) {
    const trigger = context.causes.get(entry.causationId);
    const ect = link(`/participants/${entry.cascadedFromEctId}`, context.names.get(entry.cascadedFromEctId) ?? `ECT ${shortId(entry.cascadedFromEctId)}`);
    return trigger ? ['their ECT ', ect, `: “${label(trigger.type)}”, recorded ${formatInstant(trigger.recordedAt)}`] : ['an event of their ECT ', ect];
  }
  return [`command ${shortId(entry.commandId)}`, entry.correlationId !== entry.commandId ? ` (correlation ${shortId(entry.correlationId)})` : ''];
}

function details(entry: HistoryEntry): Node | null {
  const shown = Object.entries(entry.data).filter(([key, value]) => key !== 'participantId' && key !== 'personal' && value !== null && value !== undefined);
  if (shown.length === 0) return null;
  return h('dl', { class: 'history-data' }, ...shown.map(([key, value]) => h('div', null, h('dt', null, label(key)), h('dd', null, typeof value === 'object' ? JSON.stringify(value) : String(value)))));
}
