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

/** The audit trail as people read it: what happened, when it took effect, when it was recorded, who, why, and what caused it. */
export function historyTimeline(events: readonly HistoryEntry[], context: HistoryContext): Node {
  if (events.length === 0) return h('p', { class: 'empty' }, 'Nothing recorded on or before this day.');
  return h('ol', { class: 'history', 'aria-label': 'History' }, ...events.map((entry) => historyItem(entry, context)));
}

function historyItem(entry: HistoryEntry, context: HistoryContext): HTMLLIElement {
  const fact = (term: string, ...value: (Node | string)[]) => h('div', { class: 'history-fact' }, h('dt', null, term), h('dd', null, ...value));
  return h(
    'li',
    { class: 'history-item', 'data-type': entry.type },
    h('h3', { class: 'history-title' }, label(entry.type), entry.cascadedFromEctId ? [' ', tag('Cascade', 'purple')] : null),
    h(
      'dl',
      { class: 'history-facts' },
      fact('Effective', entry.effectiveDate ? formatDate(entry.effectiveDate) : 'when recorded'),
      fact('Recorded', formatInstant(entry.recordedAt)),
      fact('By', actorOf(entry, context)),
      entry.reason ? fact('Why', /^[a-z0-9-]+$/.test(entry.reason) ? label(entry.reason) : entry.reason) : null,
      fact('Caused by', ...causeOf(entry, context)),
    ),
    details(entry),
  );
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
  return h(
    'details',
    { class: 'details' },
    h('summary', null, 'Recorded details'),
    h('dl', { class: 'history-data' }, ...shown.map(([key, value]) => h('div', null, h('dt', null, label(key)), h('dd', null, typeof value === 'object' ? JSON.stringify(value) : String(value))))),
  );
}
