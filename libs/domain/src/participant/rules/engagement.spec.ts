import { ErrorCode } from '../../shared/domain-error';
import { participantDecider } from '../participant.decider';
import { deciderSpecification } from '../../testing/decider-specification';
import { ctx, ctxOn, ECT_ID } from '../../testing/fixtures';
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
    const sevenWeeksOn = deciderSpecification(participantDecider, ctxOn('2025-11-20'));
    const withdrawnOn15November = [...activeECT, participantWithdrawn({ withdrawalDate: '2025-11-15' })];
    it('rejects engagement dated on the withdrawal date', () =>
      sevenWeeksOn
        .given(withdrawnOn15November)
        .when({ type: 'RecordEngagement', data: { participantId: ECT_ID, kind: 'self-study', occurredOn: '2025-11-15' } })
        .thenRejects('PARTICIPANT_WITHDRAWN'));
    it('rejects attendance on the withdrawal date', () => sevenWeeksOn.given(withdrawnOn15November).when(recordAttendance('clinic-instruction', '2025-11-15')).thenRejects('PARTICIPANT_WITHDRAWN'));
    it('rejects module access on the withdrawal date (London time)', () =>
      sevenWeeksOn.given(withdrawnOn15November).when(recordModuleAccess('ect-y1-m01', '2025-11-15T00:30:00Z')).thenRejects('PARTICIPANT_WITHDRAWN'));
    it('records module access the evening before it', () =>
      sevenWeeksOn
        .given(withdrawnOn15November)
        .when(recordModuleAccess('ect-y1-m01', '2025-11-14T23:30:00Z'))
        .then([{ type: 'ModuleAccessRecorded', data: { participantId: ECT_ID, moduleCode: 'ect-y1-m01', accessedAt: '2025-11-14T23:30:00Z' } }]));
  });

  describe('Rule: module access names a module of the participant’s curriculum (config/curriculum.json), at a time after registration and not in the future', () => {
    const accessed = (moduleCode: string, accessedAt: string) => ({ type: 'ModuleAccessRecorded' as const, data: { participantId: ECT_ID, moduleCode, accessedAt } });
    const rejectsField = (moduleCode: string, accessedAt: string, code: ErrorCode, field: string, fieldCode: string) =>
      participant
        .given(activeECT)
        .when(recordModuleAccess(moduleCode, accessedAt))
        .thenRejects(code, (error) => expect(error.details.fields?.map((fieldError) => [fieldError.field, fieldError.code])).toEqual([[field, fieldCode]]));

    it('records an ECT module of the curriculum', () =>
      participant.given(activeECT).when(recordModuleAccess('ect-y1-m01', '2025-10-01T08:00:00Z')).then([accessed('ect-y1-m01', '2025-10-01T08:00:00Z')]));
    it('rejects a module code the curriculum does not have', () => rejectsField('module-99', '2025-10-01T08:00:00Z', 'INVALID_INPUT', 'moduleCode', 'UNKNOWN_MODULE'));
    it('rejects a module of the other track (a mentor module for an ECT)', () => rejectsField('mentor-y1-m01', '2025-10-01T08:00:00Z', 'INVALID_INPUT', 'moduleCode', 'UNKNOWN_MODULE'));
    it('rejects a conference code: conferences are attended, not opened', () => rejectsField('conference-1', '2025-10-01T08:00:00Z', 'INVALID_INPUT', 'moduleCode', 'UNKNOWN_MODULE'));
    it('rejects an access time in 1970, before the participant was registered', () =>
      rejectsField('ect-y1-m01', '1970-01-01T00:00:00Z', 'DATE_BEFORE_REGISTRATION', 'accessedAt', 'BEFORE_REGISTRATION'));
    it('rejects an access time the day before registration (London time)', () =>
      rejectsField('ect-y1-m01', '2025-09-30T22:59:59Z', 'DATE_BEFORE_REGISTRATION', 'accessedAt', 'BEFORE_REGISTRATION'));
    it('rejects an access time in the future', () => rejectsField('ect-y1-m01', '2025-10-01T09:00:01Z', 'INVALID_INPUT', 'accessedAt', 'DATE_IN_FUTURE'));
  });
});
