import { participantDecider } from '../participant.decider';
import { deciderSpecification } from '../../testing/decider-specification';
import { ctx, ctxOn, MENTOR_ID } from '../../testing/fixtures';
import { activeECT, activeMentor, participantDeferred, participantWithdrawn, pauseECT, recordModuleAccess, resumeECT } from '../../testing/lifecycle-fixtures';

const participant = deciderSpecification(participantDecider, ctx);
const paused = { type: 'ECTPaused' as const, data: { participantId: pauseECT().data.participantId, startDate: '2025-10-06', expectedResumeDate: '2025-11-03', reason: 'Short illness' } };

describe('Pause (PauseECT, ResumeECT — seed 004)', () => {
  describe('Rule: pause is for an ECT’s short absence, expected under 6 weeks', () => {
    it('pauses an ECT for four weeks', () => participant.given(activeECT).when(pauseECT()).then([paused]));

    it('accepts a pause ending the day before six weeks are up', () =>
      participant.given(activeECT).when(pauseECT({ expectedResumeDate: '2025-11-16' })).then([{ ...paused, data: { ...paused.data, expectedResumeDate: '2025-11-16' } }]));

    it('rejects a pause of six weeks or more, pointing to deferral by the ECF Lead', () =>
      participant
        .given(activeECT)
        .when(pauseECT({ expectedResumeDate: '2025-11-17' }))
        .thenRejects('PAUSE_TOO_LONG', (error) => expect(error.details.nextStep).toMatch(/ECF Lead defers/)));

    it('pauses ECTs only: a mentor is not paused', () =>
      participant.given(activeMentor).when(pauseECT({ participantId: MENTOR_ID })).thenRejects('NOT_AN_ECT'));

    it('rejects a resume date that is not after the start, and a missing reason, with field errors', () =>
      participant
        .given(activeECT)
        .when(pauseECT({ expectedResumeDate: '2025-10-06', reason: ' ' }))
        .thenRejects('INVALID_INPUT', (error) => expect(error.details.fields?.map((field) => field.field)).toEqual(['expectedResumeDate', 'reason'])));
  });

  describe('Rule: pausing a paused, deferred or withdrawn ECT is rejected', () => {
    it('rejects a second pause', () => participant.given([...activeECT, paused]).when(pauseECT()).thenRejects('ALREADY_PAUSED'));
    it('rejects pausing a deferred ECT', () => participant.given([...activeECT, participantDeferred()]).when(pauseECT()).thenRejects('PARTICIPANT_DEFERRED'));
    it('rejects pausing a withdrawn ECT', () => participant.given([...activeECT, participantWithdrawn()]).when(pauseECT()).thenRejects('PARTICIPANT_WITHDRAWN'));
  });

  describe('Rule: on resume the ECT continues from the last module they accessed before the pause', () => {
    it('records the last module accessed before the pause started, ignoring access during it', () => {
      const accessed = (moduleCode: string, accessedAt: string) => ({ type: 'ModuleAccessRecorded' as const, data: { participantId: paused.data.participantId, moduleCode, accessedAt } });
      participant
        .given([...activeECT, accessed('module-2', '2025-10-03T10:00:00.000Z'), accessed('module-1', '2025-09-20T10:00:00.000Z'), paused, accessed('module-3', '2025-10-10T10:00:00.000Z')])
        .when(resumeECT('2025-11-01'))
        .then([{ type: 'ECTResumed', data: { participantId: paused.data.participantId, pausedFrom: '2025-10-06', resumeDate: '2025-11-01', resumeFromModule: 'module-2' } }]);
    });

    it('resumes with no module when none was accessed', () =>
      participant
        .given([...activeECT, paused])
        .when(resumeECT())
        .then([{ type: 'ECTResumed', data: { participantId: paused.data.participantId, pausedFrom: '2025-10-06', resumeDate: '2025-11-03', resumeFromModule: null } }]));

    it('rejects resuming an ECT who is not paused', () => participant.given(activeECT).when(resumeECT()).thenRejects('NOT_PAUSED'));
    it('rejects a resume date before the pause started', () => participant.given([...activeECT, paused]).when(resumeECT('2025-10-01')).thenRejects('INVALID_INPUT'));
  });

  it('normalises module access instants to UTC so they compare in order', () =>
    deciderSpecification(participantDecider, ctxOn('2025-10-02'))
      .given(activeECT)
      .when(recordModuleAccess('ect-y1-m02', '2025-10-01T10:00:00+01:00'))
      .then([{ type: 'ModuleAccessRecorded', data: { participantId: paused.data.participantId, moduleCode: 'ect-y1-m02', accessedAt: '2025-10-01T09:00:00Z' } }]));
});
