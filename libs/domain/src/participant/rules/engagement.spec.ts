import { participantDecider } from '../participant.decider';
import { deciderSpecification } from '../../testing/decider-specification';
import { ctx, ECT_ID } from '../../testing/fixtures';
import { activeECT, participantWithdrawn, recordAttendance, recordModuleAccess } from '../../testing/lifecycle-fixtures';

const participant = deciderSpecification(participantDecider, ctx);
const attended = (eventCode: string, eventKind: 'conference' | 'clinic') => ({
  type: 'AttendanceRecorded' as const,
  data: { participantId: ECT_ID, eventCode, eventKind, attendedOn: '2025-10-01' },
});

describe('Engagement, module access and attendance (system)', () => {
  describe('Rule: conferences are attended in order; clinics in any order', () => {
    it('records conference 1', () => participant.given(activeECT).when(recordAttendance('conference-1')).then([attended('conference-1', 'conference')]));
    it('rejects conference 2 before conference 1', () => participant.given(activeECT).when(recordAttendance('conference-2')).thenRejects('CONFERENCE_OUT_OF_ORDER'));
    it('records conference 2 after conference 1, even across a deferral', () =>
      participant.given([...activeECT, attended('conference-1', 'conference')]).when(recordAttendance('conference-2')).then([attended('conference-2', 'conference')]));
    it('records clinics in any order', () =>
      participant.given(activeECT).when(recordAttendance('clinic-instruction')).then([attended('clinic-instruction', 'clinic')]));
    it('rejects an unknown event code', () => participant.given(activeECT).when(recordAttendance('gala-dinner')).thenRejects('UNKNOWN_PROGRAMME_EVENT'));
  });

  describe('Rule: engagement continues to be recorded while paused; nothing on or after a withdrawal date', () => {
    const engagement = (occurredOn: string) => ({ type: 'RecordEngagement' as const, data: { participantId: ECT_ID, kind: 'self-study' as const, occurredOn } });
    it('records engagement', () =>
      participant.given(activeECT).when(engagement('2025-10-01')).then([{ type: 'EngagementRecorded', data: { participantId: ECT_ID, kind: 'self-study', occurredOn: '2025-10-01', reference: null } }]));
    it('rejects engagement after the withdrawal date', () =>
      participant.given([...activeECT, participantWithdrawn({ withdrawalDate: '2025-09-15' })]).when(engagement('2025-10-01')).thenRejects('PARTICIPANT_WITHDRAWN'));
    it('rejects engagement in the future', () => participant.given(activeECT).when(engagement('2025-10-02')).thenRejects('INVALID_INPUT'));
    it('records engagement the day before the withdrawal date', () =>
      participant
        .given([...activeECT, participantWithdrawn({ withdrawalDate: '2025-09-15' })])
        .when(engagement('2025-09-14'))
        .then([{ type: 'EngagementRecorded', data: { participantId: ECT_ID, kind: 'self-study', occurredOn: '2025-09-14', reference: null } }]));
  });

  describe('Rule: the withdrawal date is "on or after the date the participant has gone" and "will remove all Steplab access" (seed 004, Withdraw): nothing dated on it is recorded', () => {
    const withdrawnOn15September = [...activeECT, participantWithdrawn({ withdrawalDate: '2025-09-15' })];
    it('rejects engagement dated on the withdrawal date', () =>
      participant
        .given(withdrawnOn15September)
        .when({ type: 'RecordEngagement', data: { participantId: ECT_ID, kind: 'self-study', occurredOn: '2025-09-15' } })
        .thenRejects('PARTICIPANT_WITHDRAWN'));
    it('rejects attendance on the withdrawal date', () => participant.given(withdrawnOn15September).when(recordAttendance('clinic-instruction', '2025-09-15')).thenRejects('PARTICIPANT_WITHDRAWN'));
    it('rejects module access on the withdrawal date (London time)', () =>
      participant.given(withdrawnOn15September).when(recordModuleAccess('ect-y1-m01', '2025-09-14T23:30:00Z')).thenRejects('PARTICIPANT_WITHDRAWN'));
  });
});
