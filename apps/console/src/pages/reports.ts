import { ApiError, Query, withQuery } from '../api.js';
import { PageContext } from '../context.js';
import { button, h, link, table, tag } from '../dom.js';
import { saveFile } from '../download.js';
import { FieldSpec, Form, optionsOf } from '../forms.js';
import { colourOf, formatDate, label } from '../format.js';
import { formatWindow } from '../dates.js';
import { deliveryPartners, partnerName, partnerOptions } from '../delivery-partners.js';
import { displayName, PaymentReportItem, PaymentReportPage } from '../model.js';

const ROWS_ON_SCREEN = 200;

/** Payment eligibility by window and delivery partner: on screen, and as the API's CSV. */
export async function reportsPage(context: PageContext): Promise<Node> {
  const { session, catalogue, query } = context;
  const ownPartner = session.caller.role === 'ecf-lead' ? session.caller.deliveryPartnerId : null;
  const filter: Query = {
    window: query.get('window') ?? '',
    deliveryPartner: ownPartner ?? query.get('deliveryPartner') ?? '',
    cohort: query.get('cohort') ?? '',
    eligible: query.get('eligible') ?? '',
  };
  const partners = await deliveryPartners(session);
  const fields: FieldSpec[] = [
    { name: 'window', label: 'Payment window', kind: 'select', placeholder: 'All windows', options: optionsOf(catalogue.queryOptions('/reports/payment-eligibility', 'window')), value: String(filter.window) },
    ...(ownPartner
      ? []
      : [{ name: 'deliveryPartner', label: 'Delivery partner', kind: 'select', placeholder: 'All delivery partners', options: partnerOptions(partners), value: String(filter.deliveryPartner) } as const]),
    { name: 'cohort', label: 'Cohort', kind: 'number', width: 'short', value: String(filter.cohort) },
    {
      name: 'eligible',
      label: 'Eligibility',
      kind: 'select',
      placeholder: 'Eligible or not',
      options: [
        { value: 'true', label: 'Eligible only' },
        { value: 'false', label: 'Not eligible only' },
      ],
      value: String(filter.eligible),
    },
  ];
  const form = new Form('report-filter', fields, 'Show report', (values) => context.navigate(withQuery('/reports', values as Record<string, string>)));
  form.element.classList.add('form-inline');
  const heading = h('h1', { class: 'heading-l' }, 'Payment eligibility report');
  const intro = h(
    'p',
    null,
    'Each participant in your scope against each payment window of their schedule: eligible, or why not.',
    ownPartner ? ` Your key covers ${partnerName(partners, ownPartner)} (${ownPartner}) only.` : '',
  );

  let page: PaymentReportPage;
  try {
    page = await session.api.get<PaymentReportPage>('/reports/payment-eligibility', { ...filter, after: query.get('after'), limit: ROWS_ON_SCREEN });
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 400) throw error;
    form.showProblem(error.problem);
    return h('div', null, heading, intro, form.element);
  }
  const eligible = page.items.filter((item) => item.eligible).length;
  const status = h('p', { role: 'status', class: 'download-status' });
  const download = button('Download CSV', {
    class: 'button button-secondary',
    onclick: async () => {
      status.textContent = 'Preparing the CSV…';
      try {
        // Without a limit the API streams every row in scope as one CSV.
        const file = await session.api.download('/reports/payment-eligibility', { ...filter, format: 'csv' });
        saveFile(file.text, file.filename ?? 'payment-eligibility.csv');
        status.textContent = 'Downloaded.';
      } catch (error) {
        status.textContent = error instanceof ApiError ? error.problem.detail : 'The download failed.';
      }
    },
  });
  const nextQuery = new URLSearchParams(query);
  if (page.next) nextQuery.set('after', page.next);
  return h(
    'div',
    null,
    heading,
    intro,
    form.element,
    h('div', { class: 'report-actions' }, download, status),
    page.items.length === 0
      ? h('p', { class: 'empty' }, 'No rows match these filters.')
      : table(
          `${page.items.length} rows${page.next ? ' on this page' : ''} on ${formatDate(page.asOf)}: ${eligible} eligible, ${page.items.length - eligible} not eligible`,
          ['Participant', 'Type', 'School', 'Delivery partner', 'Window', 'Window dates', 'Payment date', 'State', 'Why', 'Declared on'],
          page.items.map((item) => [
            participantCell(item),
            label(item.participantType),
            item.schoolUrn,
            partnerName(partners, item.deliveryPartnerId),
            label(item.declarationType),
            formatWindow(item.windowStart, item.windowEnd, formatDate),
            formatDate(item.paymentDate),
            tag(label(item.state), colourOf(item.state)),
            label(item.reason),
            formatDate(item.declarationDate),
          ]),
        ),
    page.next ? h('p', null, link(`/reports?${nextQuery}`, 'Next page')) : null,
  );
}

/** The participant's name beside their id for roles that see names (the API leaves names out for the others). */
function participantCell(item: PaymentReportItem): Node {
  const id = h('code', { class: 'participant-id' }, item.participantId.slice(0, 8));
  if (item.firstName === undefined) return link(`/participants/${item.participantId}`, id);
  return h('span', null, link(`/participants/${item.participantId}`, displayName({ ...item, trn: null })), ' ', id);
}
