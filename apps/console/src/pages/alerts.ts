import { ApiError, withQuery } from '../api.js';
import { alertsTable } from '../components/alerts.js';
import { PageContext } from '../context.js';
import { deliveryPartners, partnerOptions } from '../delivery-partners.js';
import { h, link } from '../dom.js';
import { FieldSpec, Form, optionsOf } from '../forms.js';
import { label } from '../format.js';
import { AlertList, displayName, Participant } from '../model.js';

/** The alerts dashboard: how many of each kind, and each alert with its next step. */
export async function alertsPage(context: PageContext): Promise<Node> {
  const { session, catalogue, query } = context;
  const filter = { kind: query.get('kind') ?? '', schoolUrn: query.get('schoolUrn') ?? '', deliveryPartner: query.get('deliveryPartner') ?? '' };
  const partners = await deliveryPartners(session);
  const fields: FieldSpec[] = [
    { name: 'kind', label: 'Alert', kind: 'select', placeholder: 'All alerts', options: optionsOf(catalogue.queryOptions('/alerts', 'kind')), value: filter.kind },
    { name: 'schoolUrn', label: 'School URN', kind: 'text', width: 'short', inputmode: 'numeric', value: filter.schoolUrn },
    ...(session.caller.role === 'ecf-lead'
      ? []
      : [{ name: 'deliveryPartner', label: 'Delivery partner', kind: 'select', placeholder: 'All delivery partners', options: partnerOptions(partners), value: filter.deliveryPartner } as const]),
  ];
  const form = new Form('alerts-filter', fields, 'Filter', (values) => context.navigate(withQuery('/alerts', values as Record<string, string>)), {
    after: link('/alerts', 'Clear filters'),
  });
  form.element.classList.add('form-inline');
  const heading = h('h1', { class: 'heading-l' }, 'Alerts');
  let alerts: AlertList;
  try {
    alerts = await session.api.get<AlertList>('/alerts', filter);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 400) throw error;
    form.showProblem(error.problem);
    return h('div', null, heading, form.element);
  }
  const counts = new Map<string, number>();
  for (const alert of alerts.items) counts.set(alert.kind, (counts.get(alert.kind) ?? 0) + 1);
  const names = await namesOf(context, alerts);
  return h(
    'div',
    null,
    heading,
    h('p', null, 'Time-based alerts are worked out when you look, against today’s date.'),
    h(
      'ul',
      { class: 'cards', 'aria-label': 'Alerts by kind' },
      ...[...counts].map(([kind, count]) =>
        h('li', { class: 'card' }, h('a', { href: `#${withQuery('/alerts', { ...filter, kind })}`, class: 'card-link' }, h('span', { class: 'card-count' }, String(count)), h('span', null, label(kind)))),
      ),
    ),
    form.element,
    alertsTable(alerts, names),
  );
}

/** Names for the participants alerted on (at most the first 50: the table shows ids for the rest). */
async function namesOf(context: PageContext, alerts: AlertList): Promise<Map<string, string>> {
  if (!context.session.may('ReadParticipants')) return new Map();
  const ids = [...new Set(alerts.items.flatMap((alert) => (alert.participantId ? [alert.participantId] : [])))].slice(0, 50);
  const found = await Promise.all(ids.map((id) => context.session.api.get<Participant>(`/participants/${id}`).then(displayName, () => null)));
  return new Map(ids.flatMap((id, index) => (found[index] ? [[id, found[index] as string] as [string, string]] : [])));
}
