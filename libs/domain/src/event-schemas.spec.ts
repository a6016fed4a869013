import { join, resolve } from 'node:path';
import { defaultSchemaDirectory, loadEventSchemas } from '../../../event-schemas/registry';
import { loadEventSchemasFrom } from '../../../event-schemas/registry.testing';
import { DOMAIN_EVENT_TYPES, DomainEvent } from './events';
import { participantDecider } from './participant/participant.decider';
import { ParticipantCommand } from './participant/participant.commands';
import { ParticipantEvent } from './participant/participant.events';
import { schoolDecider } from './school/school.decider';
import { Decider, DecisionContext, isRejection } from './shared/decider';
import {
  ctx,
  ctxAt,
  claimTrn,
  ECT_ID,
  grantSteplabAccess,
  matchMentor,
  MENTOR_ID,
  mentorFacts,
  OTHER_MENTOR_ID,
  recordValidation,
  registerECT,
  registerInductionTutor,
  registerMentor,
  registerSchoolPartnership,
  submitSteplabAccessForm,
  trnClaimed,
  TUTOR_ID,
} from './testing/fixtures';
import { trnRegistryDecider } from './trn-registry/trn-registry';
import { currentSchemaVersion } from './versioning/upcasters';
import { changeSchool, deferECT, pauseECT, recordAttendance, recordModuleAccess, resumeECT, withdrawECT } from './testing/lifecycle-fixtures';

/**
 * The event schemas in /event-schemas describe exactly the `data` the deciders write: every event
 * produced by representative scenarios through the real deciders validates against its schema.
 * (A test may read files; the domain code itself does no I/O.)
 */

const registry = loadEventSchemas();
const REPO_ROOT = resolve(__dirname, '../../..');

/** Runs commands one after another through a decider, evolving its state, and returns every event written. */
function run<State, Command, Event>(decider: Decider<State, Command, Event>, steps: [Command, DecisionContext?][]): Event[] {
  let state = decider.initialState();
  const written: Event[] = [];
  for (const [command, context = ctx] of steps) {
    const decision = decider.decide(command, state, context);
    if (isRejection(decision)) throw new Error(`Scenario step was rejected: ${decision.code} ${decision.message}`);
    state = decision.reduce(decider.evolve, state);
    written.push(...decision);
  }
  return written;
}

const participantScenario = (steps: [ParticipantCommand, DecisionContext?][]): ParticipantEvent[] => run(participantDecider, steps);

const produced: DomainEvent[] = [
  // Step 1: a school partners with a delivery partner.
  ...run(schoolDecider, [[registerSchoolPartnership()]]),
  // An ECT: registered, TRN claimed, validation failed then passed, mentor matched then replaced, form, access.
  ...run(trnRegistryDecider, [[claimTrn()]]),
  ...participantScenario([
    [registerECT()],
    [recordValidation('failed', ['TRN and date of birth do not match'])],
    [recordValidation('validated')],
    [matchMentor(mentorFacts())],
    [matchMentor(mentorFacts({ participantId: OTHER_MENTOR_ID }))],
    [matchMentor(mentorFacts({ participantId: TUTOR_ID, type: 'induction-tutor' }))],
    [submitSteplabAccessForm()],
    [grantSteplabAccess(), ctxAt('2025-10-01T15:00:00.000Z')],
  ]),
  // A mentor registered after 1 November (January plan).
  ...participantScenario([[registerMentor(), ctxAt('2025-11-20T10:00:00.000Z')], [recordValidation('validated', [], MENTOR_ID)]]),
  // Induction tutors, with and without a TRN; one submits the form.
  ...participantScenario([
    [registerInductionTutor({ trn: null })],
    [recordValidation('validated', [], TUTOR_ID)],
    [submitSteplabAccessForm(TUTOR_ID)],
  ]),
  ...participantScenario([[registerInductionTutor()]]),
  // The lifecycle of seed 004: activity, pause and resume, deferral, a schedule amendment, a move, withdrawal and reinstatement.
  ...participantScenario([
    [registerECT()],
    [recordValidation('validated')],
    [submitSteplabAccessForm()],
    [grantSteplabAccess()],
    [recordModuleAccess('ect-y1-m01', '2025-10-01T08:00:00Z')],
    [recordAttendance('conference-1')],
    [{ type: 'RecordEngagement', data: { participantId: ECT_ID, kind: 'coaching-session', occurredOn: '2025-10-01', reference: 'session-1' } }],
    [pauseECT()],
    [resumeECT()],
    [deferECT()],
    [{ type: 'UpdateDeferralReturnDate', data: { participantId: ECT_ID, expectedReturnDate: '2026-05-01', byDpl: false } }],
    [{ type: 'ReturnFromDeferral', data: { participantId: ECT_ID, returnDate: '2026-05-01' } }],
    [{ type: 'AmendReleaseSchedule', data: { participantId: ECT_ID, contentStartDate: '2025-11-17', reason: 'Agreed early start', byDpl: true } }],
    [changeSchool()],
    [withdrawECT()],
    [{ type: 'RequestWithdrawalReversal', data: { participantId: ECT_ID, reason: 'Withdrawn in error' } }],
    [{ type: 'ReinstateParticipant', data: { participantId: ECT_ID, includeCascadedMentor: true } }],
    [{ type: 'ErasePersonalData', data: { participantId: ECT_ID, reason: 'Erasure request ER-1' } }],
  ]),
  // An orphaned TRN claim taken over.
  ...run(trnRegistryDecider, [[claimTrn({ participantId: MENTOR_ID })], [claimTrn({ participantId: ECT_ID, holderHoldsTrn: false })]]),
];

describe('Event schemas (event-schemas/*.v<N>.json)', () => {
  describe('Rule: every event type has a JSON Schema', () => {
    it.each([...DOMAIN_EVENT_TYPES])('%s has a v1 schema with its $id, title and description, and a schema for the version the deciders write', (type) => {
      expect(registry.latestVersion(type)).toBe(currentSchemaVersion(type));
      expect(registry.schema(type, 1)).toMatchObject({
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        $id: `urn:ecf:event:${type}:v1`,
        title: expect.any(String),
        description: expect.any(String),
        type: 'object',
        additionalProperties: false,
      });
    });

    it('has no schema for an event type the domain does not write', () => expect(registry.types).toEqual([...DOMAIN_EVENT_TYPES].sort()));

    it('compiles every schema: loading the folder compiles each one', () => expect(registry.types.length).toBe(DOMAIN_EVENT_TYPES.length));

    it('refuses to load a schema that does not compile, or whose $id does not match its file name', () => {
      const valid = registry.schema('TrnClaimed', 1);
      expect(() => loadEventSchemasFrom({ 'TrnClaimed.v1.json': { ...valid, type: 'thing' } })).toThrow(/TrnClaimed.v1.json: the schema does not compile/);
      expect(() => loadEventSchemasFrom({ 'TrnClaimed.v1.json': { ...valid, $id: 'urn:ecf:event:TrnClaimed:v2' } })).toThrow(
        /\$id must be urn:ecf:event:TrnClaimed:v1/,
      );
    });

    it('gives the highest version as the latest', () => {
      const valid = registry.schema('TrnClaimed', 1);
      const both = loadEventSchemasFrom({ 'TrnClaimed.v1.json': valid, 'TrnClaimed.v2.json': { ...valid, $id: 'urn:ecf:event:TrnClaimed:v2' } });
      expect(both.latestVersion('TrnClaimed')).toBe(2);
    });
  });

  describe('Rule: every event the deciders write validates against its schema', () => {
    it('the scenarios produce every event type', () =>
      expect(new Set(produced.map((event) => event.type))).toEqual(new Set(DOMAIN_EVENT_TYPES)));

    it.each(produced.map((event, index) => [index + 1, event.type, event] as const))('event %i (%s) validates', (_index, type, event) =>
      expect(registry.validate(type, registry.latestVersion(type), event.data)).toEqual({ valid: true }),
    );

    it('covers an interim match, a replacement with its previous mentor, and an induction tutor without a TRN', () => {
      expect(produced).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ type: 'MentorMatched', data: expect.objectContaining({ interim: true, previousMentorId: OTHER_MENTOR_ID }) }),
          expect.objectContaining({ type: 'MentorMatched', data: expect.objectContaining({ interim: false, previousMentorId: MENTOR_ID }) }),
          expect.objectContaining({ type: 'InductionTutorRegistered', data: expect.objectContaining({ trn: null }) }),
          expect.objectContaining({ type: 'MentorRegistered', data: expect.objectContaining({ scheduleIdentifier: 'ecf-standard-january' }) }),
        ]),
      );
    });
  });

  describe('Rule: a schema describes the data exactly and rejects anything else', () => {
    const ect = produced.find((event) => event.type === 'ECTRegistered') as Extract<DomainEvent, { type: 'ECTRegistered' }>;

    const errorsOf = (type: string, data: unknown): string[] => {
      const result = registry.validate(type, 1, data);
      return result.valid ? [] : result.errors;
    };

    it('rejects an event with an extra field', () =>
      expect(errorsOf('ECTRegistered', { ...ect.data, nickname: 'Ash' })).toEqual(['(data) must not have the property nickname']));

    it('rejects personal data outside `personal` (and an extra field inside it)', () => {
      expect(errorsOf('ECTRegistered', { ...ect.data, firstName: 'Asha' })).toEqual(['(data) must not have the property firstName']);
      expect(errorsOf('ECTRegistered', { ...ect.data, personal: { ...ect.data.personal, phone: '0' } })).toEqual(
        expect.arrayContaining(['/personal must not have the property phone', '/personal must match exactly one schema in oneOf']),
      );
    });

    it('rejects a 6-digit TRN', () => {
      expect(errorsOf('ECTRegistered', { ...ect.data, trn: '123456' })).toEqual(['/trn must match pattern "^\\d{7}$"']);
      expect(errorsOf('TrnClaimed', trnClaimed(ECT_ID, '123456').data)).toEqual(['/trn must match pattern "^\\d{7}$"']);
    });

    it('rejects a null TRN where the type does not allow one', () => expect(errorsOf('TrnClaimed', { trn: null, participantId: ECT_ID })).not.toEqual([]));

    it('rejects a missing field, a date that is not a real date and a URN that is not 6 digits', () =>
      expect(
        errorsOf('ECTRegistered', {
          ...ect.data,
          contentStartDate: undefined,
          registeredOn: '2025-02-30',
          schoolUrn: '12345',
        }),
      ).toEqual(expect.arrayContaining(["(data) must have required property 'contentStartDate'", '/registeredOn must match format "date"', '/schoolUrn must match pattern "^\\d{6}$"'])));

    it('rejects an id that is not a UUID and an instant that is not ISO-8601', () =>
      expect(errorsOf('SteplabAccessGranted', { participantId: 'p-1', grantedAt: '01/10/2025 09:00' })).toEqual([
        '/participantId must match format "uuid"',
        '/grantedAt must match format "date-time"',
      ]));

    it('reports an unknown event type or version as invalid', () => {
      expect(registry.validate('SomethingHappened', 1, {})).toEqual({ valid: false, errors: ['No schema for SomethingHappened v1'] });
      expect(registry.validate('ECTRegistered', 2, ect.data)).toEqual({ valid: false, errors: ['No schema for ECTRegistered v2'] });
      expect(() => registry.schema('ECTRegistered', 2)).toThrow(/No schema for ECTRegistered v2/);
      expect(() => registry.latestVersion('SomethingHappened')).toThrow(/No schema for event type SomethingHappened/);
    });
  });

  describe('finding the schema files', () => {
    it('finds them beside the registry module when run from source', () =>
      expect(defaultSchemaDirectory(join(REPO_ROOT, 'event-schemas'))).toBe(join(REPO_ROOT, 'event-schemas')));

    it('falls back to <repo root>/event-schemas when compiled to dist/event-schemas, where no .json is copied', () =>
      expect(defaultSchemaDirectory(join(REPO_ROOT, 'dist', 'event-schemas'))).toBe(join(REPO_ROOT, 'event-schemas')));

    it('loads the same schemas from an explicit directory', () => expect(loadEventSchemas(join(REPO_ROOT, 'event-schemas')).types).toEqual(registry.types));
  });
});
