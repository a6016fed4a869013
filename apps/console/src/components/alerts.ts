import { h, link, table } from '../dom.js';
import { formatDate, label } from '../format.js';
import { AlertList } from '../model.js';

/** Open alerts with what each asks of the reader. */
export function alertsTable(alerts: AlertList, names: ReadonlyMap<string, string> = new Map()): Node {
  if (alerts.items.length === 0) return h('p', { class: 'empty' }, `No open alerts on ${formatDate(alerts.asOf)}.`);
  return table(
    `${alerts.items.length} open alert${alerts.items.length === 1 ? '' : 's'} on ${formatDate(alerts.asOf)}`,
    ['Alert', 'School', 'Participant', 'Since', 'Next step'],
    alerts.items.map((alert) => [
      label(alert.kind),
      link(`/schools/${alert.schoolUrn}`, alert.schoolUrn),
      alert.participantId ? link(`/participants/${alert.participantId}`, names.get(alert.participantId) ?? alert.participantId.slice(0, 8)) : '—',
      formatDate(alert.raisedOn),
      alert.nextStep,
    ]),
  );
}
