import { ApiError } from '../api.js';
import { availableCommands } from '../commands.js';
import { historyTimeline } from '../components/history-timeline.js';
import { paymentTable, steplabSummary } from '../components/programme.js';
import { releaseTimeline } from '../components/release-timeline.js';
import { PageContext } from '../context.js';
import { button, Child, h, link, summaryList, summaryRow, tag } from '../dom.js';
import { saveFile } from '../download.js';
import { Form } from '../forms.js';
import { colourOf, formatDate, label } from '../format.js';
import { displayName, History, HistoryEntry, Participant, PaymentEligibility, ReleaseSchedule, SteplabAccess } from '../model.js';
import type { Session } from '../session.js';

/**
 * One participant: status, school, mentor or mentees, release schedule, payment eligibility, Steplab
 * access and history — now, or replayed as of a day (?asOf=, the effective axis of the API's reads).
 */
export async function participantPage(context: PageContext, participantId: string): Promise<Node> {
  const { session, query } = context;
  const asOf = query.get('asOf') ?? undefined;
  const asOfForm = asOfFormFor(context, participantId, asOf);
  const travel = { asOf };
  const base = `/participants/${participantId}`;

  let participant: Participant;
  try {
    participant = await session.api.get<Participant>(base, travel);
  } catch (error) {
    // A day before registration, or a malformed day: say so beside the date, keep the way back.
    if (asOf === undefined || !(error instanceof ApiError) || ![400, 404].includes(error.status)) throw error;
    asOfForm.showProblem({ ...error.problem, errors: error.problem.errors ?? [{ field: 'asOf', code: error.problem.code, message: error.problem.detail }] });
    return h('div', null, h('h1', { class: 'heading-l' }, 'Participant'), asOfForm.element, h('p', null, link(base, 'Back to today')));
  }

  const may = (permission: string) => session.may(permission);
  const [schedule, eligibility, steplab, history, names] = await Promise.all([
    may('ReadProgramme') ? session.api.get<ReleaseSchedule>(`${base}/release-schedule`, travel) : null,
    may('ReadProgramme') ? session.api.get<PaymentEligibility>(`${base}/payment-eligibility`, travel) : null,
    may('ReadProgramme') ? session.api.get<SteplabAccess>(`${base}/steplab-access`, travel) : null,
    may('ReadHistory') ? session.api.get<History>(`${base}/history`, travel) : null,
    namesOf(session, [...(participant.mentor ? [participant.mentor.id] : []), ...participant.menteeIds, ...cascadeSources(participant)]),
  ]);
  const causes = history ? await causesOf(session, history.events) : new Map<string, HistoryEntry>();
  for (const [id, name] of await namesOf(session, history ? history.events.flatMap((entry) => (entry.cascadedFromEctId ? [entry.cascadedFromEctId] : [])) : [])) names.set(id, name);

  const sections: [string, string, Child][] = [
    ['details', 'Details', details(participant, names)],
    ...(steplab ? [['steplab', 'Steplab access', steplabSummary(steplab)] as [string, string, Child]] : []),
    ...(schedule ? [['release-schedule', 'Release schedule', releaseTimeline(schedule)] as [string, string, Child]] : []),
    ...(eligibility ? [['payment-eligibility', 'Payment eligibility', paymentTable(eligibility)] as [string, string, Child]] : []),
    ...(history
      ? [['history', 'History', [historyDownload(session, participantId, asOf), historyTimeline(history.events, { ownKeyId: session.caller.keyId, names, causes })]] as [string, string, Child]]
      : []),
  ];

  return h(
    'div',
    null,
    h('span', { class: 'caption' }, `${label(participant.type)} · cohort ${participant.cohort}`),
    h('h1', { class: 'heading-l' }, displayName(participant), ' ', tag(label(participant.status), colourOf(participant.status))),
    context.flash ? h('div', { class: 'notice notice-success', role: 'status' }, context.flash) : null,
    asOf
      ? h(
          'div',
          { class: 'notice', role: 'status' },
          h('strong', null, `Shown as of ${formatDate(asOf)}`),
          ', as we know it now: events effective after that day are left out, and states are read on that day. Commands are not available here. ',
          link(base, 'Back to today'),
        )
      : actions(participant, session),
    asOfForm.element,
    h('nav', { class: 'contents', 'aria-label': 'On this page' }, h('ul', null, ...sections.map(([id, title]) => h('li', null, h('a', { href: `#${id}`, onclick: jumpTo(id) }, title))))),
    ...sections.map(([id, title, body]) => h('section', { id, 'aria-labelledby': `${id}-title`, class: 'section' }, h('h2', { id: `${id}-title`, class: 'heading-m' }, title), body)),
  );
}

/** In-page links are not routes: they move focus to the section. */
const jumpTo = (id: string) => (event: Event) => {
  event.preventDefault();
  const heading = document.getElementById(`${id}-title`);
  heading?.setAttribute('tabindex', '-1');
  heading?.focus();
};

function actions(participant: Participant, session: Session): Node | null {
  const commands = availableCommands(participant, session);
  if (commands.length === 0) return null;
  return h(
    'div',
    { class: 'actions', role: 'group', 'aria-label': 'Actions' },
    ...commands.map((command) => h('a', { href: `#/participants/${participant.participantId}/${command.id}`, class: 'button button-secondary', 'data-command': command.id }, command.action)),
  );
}

function asOfFormFor(context: PageContext, participantId: string, asOf: string | undefined): Form {
  const form = new Form(
    'as-of',
    [{ name: 'asOf', label: 'Show as of', kind: 'date', value: asOf, hint: 'Replays this page as it was on that day (as we know it now).', width: 'short' }],
    'Show',
    (values) => context.navigate(values.asOf ? `/participants/${participantId}?asOf=${values.asOf}` : `/participants/${participantId}`),
  );
  form.element.classList.add('form-inline', 'as-of');
  return form;
}

function details(participant: Participant, names: ReadonlyMap<string, string>): Node {
  const person = (id: string) => link(`/participants/${id}`, names.get(id) ?? `Participant ${id.slice(0, 8)}`);
  const { pause, deferral, withdrawal } = participant;
  const followed = (ectId: string | null) => (ectId ? [' — followed their ECT ', person(ectId)] : []);
  return summaryList(
    summaryRow('Participant ID', h('code', null, participant.participantId)),
    summaryRow('TRN', participant.trn ?? '—'),
    participant.personal ? summaryRow('Email', participant.personal.email) : null,
    participant.personal ? summaryRow('Date of birth', formatDate(participant.personal.dateOfBirth)) : null,
    summaryRow('School', link(`/schools/${participant.schoolUrn}?cohort=${participant.cohort}`, `URN ${participant.schoolUrn}`)),
    summaryRow('Status', tag(label(participant.status), colourOf(participant.status))),
    pause ? summaryRow('Paused', `from ${formatDate(pause.startDate)}, expected back ${formatDate(pause.expectedResumeDate)}`) : null,
    deferral
      ? summaryRow('Deferred', `from ${formatDate(deferral.deferralDate)} (${label(deferral.reason)}), expected back ${formatDate(deferral.expectedReturnDate)}`, ...followed(deferral.cascadedFromEctId))
      : null,
    withdrawal
      ? summaryRow(
          'Withdrawn',
          `on ${formatDate(withdrawal.withdrawalDate)} (${label(withdrawal.reason)})${withdrawal.reversalRequested ? '; reversal requested from the DPL' : ''}`,
          ...followed(withdrawal.cascadedFromEctId),
        )
      : null,
    summaryRow('DfE validation', label(participant.validation.outcome), participant.validation.reasons.length > 0 ? `: ${participant.validation.reasons.join('; ')}` : ''),
    participant.type === 'ect'
      ? summaryRow('Mentor', ...(participant.mentor ? [person(participant.mentor.id), participant.mentor.interim ? ' (induction tutor, interim)' : ''] : ['None yet']))
      : summaryRow('Mentees', ...(participant.menteeIds.length > 0 ? participant.menteeIds.flatMap((id, index) => [index > 0 ? ', ' : '', person(id)]) : [participant.asOf ? 'Not shown as of a past day' : 'None'])),
    summaryRow('Registered on', formatDate(participant.registeredOn)),
    summaryRow('Content starts', formatDate(participant.contentStartDate), participant.scheduleIdentifier ? ` (${participant.scheduleIdentifier})` : ''),
    participant.outputPaymentsStopOn ? summaryRow('Output payments stop on', formatDate(participant.outputPaymentsStopOn)) : null,
    participant.personalDataErasedOn ? summaryRow('Personal details erased on', formatDate(participant.personalDataErasedOn)) : null,
    summaryRow('Revision', String(participant.revision)),
  );
}

function historyDownload(session: Session, participantId: string, asOf: string | undefined): Node {
  return h(
    'p',
    null,
    button('Download history (CSV)', {
      class: 'button button-secondary',
      onclick: async () => {
        const file = await session.api.download(`/participants/${participantId}/history`, { format: 'csv', asOf });
        saveFile(file.text, file.filename ?? `participant-${participantId}-history.csv`);
      },
    }),
  );
}

const cascadeSources = (participant: Participant): string[] =>
  [participant.deferral?.cascadedFromEctId, participant.withdrawal?.cascadedFromEctId].filter((id): id is string => typeof id === 'string');

/** Names for the participants a page links to; a participant outside the caller's scope keeps their id. */
async function namesOf(session: Session, ids: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  const found = await Promise.all(unique.map((id) => session.api.get<Participant>(`/participants/${id}`).then(displayName, () => null)));
  return new Map(unique.flatMap((id, index) => (found[index] ? [[id, found[index] as string] as [string, string]] : [])));
}

/** The events that caused cascaded entries: they live in the ECT's history, found by the cascade's causation id. */
async function causesOf(session: Session, events: readonly HistoryEntry[]): Promise<Map<string, HistoryEntry>> {
  const ects = [...new Set(events.flatMap((entry) => (entry.cascadedFromEctId ? [entry.cascadedFromEctId] : [])))];
  const histories = await Promise.all(ects.map((id) => session.api.get<History>(`/participants/${id}/history`).catch(() => null)));
  return new Map(histories.flatMap((history) => history?.events.map((entry) => [entry.eventId, entry] as [string, HistoryEntry]) ?? []));
}
