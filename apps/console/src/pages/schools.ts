import { ApiError, withQuery } from '../api.js';
import { alertsTable } from '../components/alerts.js';
import { PageContext } from '../context.js';
import { h, link, table, tag } from '../dom.js';
import { Form } from '../forms.js';
import { currentCohort, label } from '../format.js';
import { AlertList, CoachingRelationships, displayName, ParticipantPage } from '../model.js';

/** Find a school's coaching relationships by URN and cohort; induction tutors see their own schools listed. */
export async function schoolsPage(context: PageContext): Promise<Node> {
  const { caller } = context.session;
  const form = schoolForm(context, context.query.get('urn') ?? '', context.query.get('cohort') ?? String(currentCohort()));
  return h(
    'div',
    null,
    h('h1', { class: 'heading-l' }, 'Schools'),
    caller.schoolUrns.length > 0
      ? h('div', null, h('h2', { class: 'heading-m' }, 'Your schools'), h('ul', { class: 'list' }, ...caller.schoolUrns.map((urn) => h('li', null, link(`/schools/${urn}?cohort=${currentCohort()}`, `URN ${urn}`)))))
      : null,
    h('h2', { class: 'heading-m' }, 'Find a school'),
    form.element,
  );
}

function schoolForm(context: PageContext, urn: string, cohort: string): Form {
  const form = new Form(
    'school',
    [
      { name: 'urn', label: 'School URN', kind: 'text', width: 'short', inputmode: 'numeric', value: urn },
      { name: 'cohort', label: 'Cohort', kind: 'number', width: 'short', value: cohort },
    ],
    'Show school',
    (values) => context.navigate(withQuery(`/schools/${values.urn}`, { cohort: String(values.cohort) })),
  );
  form.element.classList.add('form-inline');
  return form;
}

/** A school: its coaching relationships for a cohort (visible on Steplab, or what blocks each pair) and its alerts. */
export async function schoolPage(context: PageContext, urn: string): Promise<Node> {
  const { session } = context;
  const cohort = context.query.get('cohort') ?? String(currentCohort());
  const form = schoolForm(context, urn, cohort);
  const heading = h('h1', { class: 'heading-l' }, `School ${urn}`);
  let relationships: CoachingRelationships;
  try {
    relationships = await session.api.get<CoachingRelationships>(`/schools/${urn}/coaching-relationships`, { cohort });
  } catch (error) {
    if (!(error instanceof ApiError) || ![400, 404].includes(error.status)) throw error;
    form.showProblem(error.problem, { urn: 'urn' });
    return h('div', null, heading, form.element);
  }
  const [people, alerts] = await Promise.all([
    session.api.get<ParticipantPage>('/participants', { schoolUrn: urn, cohort, limit: 500 }),
    session.may('ReadAlerts') ? session.api.get<AlertList>('/alerts', { schoolUrn: urn }) : null,
  ]);
  const names = new Map(people.items.map((item) => [item.participantId, displayName(item)]));
  const person = (id: string) => link(`/participants/${id}`, names.get(id) ?? id.slice(0, 8));
  return h(
    'div',
    null,
    heading,
    form.element,
    h('p', null, link(`/participants?schoolUrn=${urn}&cohort=${cohort}`, `All participants at ${urn} in cohort ${cohort}`)),
    h('section', { class: 'section', 'aria-labelledby': 'coaching-title' },
      h('h2', { id: 'coaching-title', class: 'heading-m' }, `Coaching relationships, cohort ${cohort}`),
      h('p', null, 'A pair is visible on Steplab once the ECT is matched with a mentor and both have submitted the access form and been given access.'),
      relationships.items.length === 0
        ? h('p', { class: 'empty' }, 'No ECTs in this cohort at this school.')
        : table(
            `${relationships.items.length} ECT${relationships.items.length === 1 ? '' : 's'}`,
            ['ECT', 'Mentor', 'Visible on Steplab', 'What blocks it'],
            relationships.items.map((pair) => [
              person(pair.ectId),
              pair.mentorId ? [person(pair.mentorId), pair.interimMentor ? ' (interim)' : ''] : '—',
              pair.visibleOnSteplab ? tag('Visible', 'green') : tag('Not visible', 'red'),
              pair.blockers.length > 0 ? h('ul', { class: 'list list-tight' }, ...pair.blockers.map((blocker) => h('li', null, label(blocker)))) : 'Nothing',
            ]),
          ),
    ),
    alerts
      ? h('section', { class: 'section', 'aria-labelledby': 'alerts-title' }, h('h2', { id: 'alerts-title', class: 'heading-m' }, 'Alerts for this school'), alertsTable(alerts, names))
      : null,
  );
}
