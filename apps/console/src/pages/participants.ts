import { ApiError, withQuery } from '../api.js';
import { PageContext } from '../context.js';
import { h, link, table, tag } from '../dom.js';
import { FieldSpec, Form, optionsOf } from '../forms.js';
import { colourOf, label } from '../format.js';
import { displayName, ParticipantPage } from '../model.js';

const FILTERS = ['name', 'trn', 'schoolUrn', 'cohort', 'type', 'status'] as const;

/** Search participants in the caller's scope (GET /participants), by name, TRN, school, cohort, type and status. */
export async function participantsPage(context: PageContext): Promise<Node> {
  const { session, catalogue, query } = context;
  const seesNames = session.caller.seesPersonalData;
  const filters = Object.fromEntries(FILTERS.map((name) => [name, query.get(name) ?? ''])) as Record<(typeof FILTERS)[number], string>;
  const fields: FieldSpec[] = [
    ...(seesNames ? [{ name: 'name', label: 'Name', kind: 'text', value: filters.name, hint: 'Part of the first or last name', width: 'medium' } as const] : []),
    { name: 'trn', label: 'TRN', kind: 'text', value: filters.trn, width: 'short', inputmode: 'numeric' },
    { name: 'schoolUrn', label: 'School URN', kind: 'text', value: filters.schoolUrn, width: 'short', inputmode: 'numeric' },
    { name: 'cohort', label: 'Cohort', kind: 'number', value: filters.cohort, width: 'short' },
    { name: 'type', label: 'Type', kind: 'select', placeholder: 'Any type', options: optionsOf(catalogue.queryOptions('/participants', 'type')), value: filters.type },
    { name: 'status', label: 'Status', kind: 'select', placeholder: 'Any status', options: optionsOf(catalogue.queryOptions('/participants', 'status')), value: filters.status },
  ];
  const form = new Form('search', fields, 'Search', (values) => context.navigate(withQuery('/participants', values as Record<string, string>)), {
    after: h('a', { href: '#/participants', class: 'link' }, 'Clear filters'),
  });
  form.element.classList.add('form-inline');

  const results = h('div', { id: 'results' });
  try {
    const page = await session.api.get<ParticipantPage>('/participants', { ...filters, after: query.get('after'), limit: 50 });
    results.append(resultsTable(page, query));
  } catch (error) {
    if (!(error instanceof ApiError) || error.status === 401 || error.status >= 500) throw error;
    form.showProblem(error.problem);
  }
  return h('div', null, h('h1', { class: 'heading-l' }, 'Participants'), context.flash ? h('div', { class: 'notice', role: 'status' }, context.flash) : null, form.element, results);
}

function resultsTable(page: ParticipantPage, query: URLSearchParams): Node {
  if (page.items.length === 0) return h('p', { class: 'empty' }, 'No participants match these filters in your scope.');
  const nextQuery = new URLSearchParams(query);
  if (page.next) nextQuery.set('after', page.next);
  return h(
    'div',
    null,
    table(
      `${page.items.length} participant${page.items.length === 1 ? '' : 's'}${page.next ? ' on this page' : ''}`,
      ['Name', 'TRN', 'Type', 'School', 'Cohort', 'Status', 'Steplab access'],
      page.items.map((item) => [
        link(`/participants/${item.participantId}`, displayName(item)),
        item.trn ?? '—',
        label(item.type),
        link(`/schools/${item.schoolUrn}?cohort=${item.cohort}`, item.schoolUrn),
        String(item.cohort),
        tag(label(item.status), colourOf(item.status)),
        label(item.steplabStatus),
      ]),
    ),
    page.next ? h('p', null, link(`/participants?${nextQuery}`, 'Next page')) : null,
  );
}
