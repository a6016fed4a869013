import { ApiError, idempotencyKeys, readModelsCaughtUp } from '../api.js';
import { PageContext } from '../context.js';
import { h, link } from '../dom.js';
import { bodyOf, FieldSpec, Form } from '../forms.js';
import { currentCohort } from '../format.js';
import { CommandResult } from '../model.js';

const KINDS = [
  { permission: 'RegisterECT', value: 'ect', label: 'Early career teacher (ECT)' },
  { permission: 'RegisterMentor', value: 'mentor', label: 'Mentor' },
  { permission: 'RegisterInductionTutor', value: 'induction-tutor', label: 'Induction tutor' },
] as const;

/** Register an ECT, mentor or induction tutor; they then await DfE validation. */
export async function registerPage(context: PageContext): Promise<Node> {
  const { session, catalogue } = context;
  const kinds = KINDS.filter((kind) => session.may(kind.permission));
  const schools = session.caller.schoolUrns;
  const fields: FieldSpec[] = [
    { name: 'kind', label: 'Who are you registering?', kind: 'select', options: kinds.map(({ value, label }) => ({ value, label })), value: context.query.get('kind') ?? 'ect' },
    { name: 'firstName', label: 'First name', kind: 'text', autocomplete: 'off' },
    { name: 'lastName', label: 'Last name', kind: 'text', autocomplete: 'off' },
    { name: 'dateOfBirth', label: 'Date of birth', kind: 'date', width: 'short' },
    { name: 'trn', label: 'Teacher reference number (TRN)', kind: 'text', width: 'short', inputmode: 'numeric', hint: '7 digits. Optional for an induction tutor.' },
    { name: 'email', label: 'Email address', kind: 'text', width: 'long', hint: catalogue.bodyField('RegisterECT', 'email').description },
    { name: 'schoolUrn', label: 'School URN', kind: 'text', width: 'short', inputmode: 'numeric', value: schools.length === 1 ? schools[0] : '' },
    { name: 'cohort', label: 'Cohort', kind: 'number', width: 'short', value: String(currentCohort()), hint: 'The academic year their induction started, e.g. 2026 for 2026 to 2027.' },
  ];
  // One key per body: a double submit, or a retry after a lost answer, registers once; a corrected form is a new request.
  let keyFor = idempotencyKeys();
  const form = new Form('register', fields, 'Register', async (values, self) => {
    const kind = KINDS.find((candidate) => candidate.value === values.kind) ?? KINDS[0];
    const route = catalogue.route(kind.permission);
    const { kind: _kind, ...body } = bodyOf(values, fields);
    try {
      const result = await session.api.command<CommandResult>(route.method, route.path, body, { idempotencyKey: keyFor({ path: route.path, body }) });
      keyFor = idempotencyKeys();
      await readModelsCaughtUp(result.position);
      context.navigate(`/participants/${result.participantId}`, 'Registered. They now await DfE validation of their TRN and date of birth.');
    } catch (error) {
      if (!(error instanceof ApiError) || error.status === 401 || error.status >= 500) throw error;
      self.showProblem(error.problem);
      const existing = error.problem.context?.participantId;
      if (existing) self.element.querySelector('.error-summary')?.append(h('p', null, link(`/participants/${existing}`, 'See the participant already registered with this TRN')));
    }
  });
  return h(
    'div',
    { class: 'narrow' },
    h('h1', { class: 'heading-l' }, 'Register a participant'),
    h('p', null, 'After registration DfE validates the TRN and date of birth; then the participant can be matched and given Steplab access.'),
    form.element,
  );
}
