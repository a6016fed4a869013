import { dataValidationFailed, dataValidationPassed, ectRegistered, inductionTutorRegistered, mentorMatched, NOW, steplabAccessFormSubmitted, steplabAccessGranted } from '../../testing/fixtures';
import { activeECT, participantDeferred, participantWithdrawn } from '../../testing/lifecycle-fixtures';
import {
  attendanceRecorded,
  deferralReturnDateUpdated,
  ectPaused,
  ectResumed,
  engagementRecorded,
  moduleAccessRecorded,
  participantReinstated,
  releaseScheduleAmended,
  returnedFromDeferral,
  schoolChanged,
  steplabAccessRevoked,
  timelineOf,
} from '../../testing/programme-fixtures';
import { evolveTimeline, foldTimeline, initialTimeline } from './programme-timeline';

describe('Programme timeline (the fold behind the read-model calculations)', () => {
  describe('Rule: it keeps the registration’s plan, and the content start as amended or moved by a return from a deferral from registration', () => {
    it('records type, cohort, schedule and content start from the registration', () =>
      expect(timelineOf(activeECT)).toMatchObject({
        participantId: ectRegistered().data.participantId,
        type: 'ect',
        cohort: 2025,
        registeredOn: '2025-10-01',
        scheduleIdentifier: 'ecf-standard-september',
        contentStartDate: '2025-09-01',
      }));

    it('moves the content start with an amendment', () =>
      expect(timelineOf([...activeECT, releaseScheduleAmended('2025-09-01', '2025-10-06')]).contentStartDate).toBe('2025-10-06'));

    it('starts content on the return date after a deferral from registration, and keeps it after an ordinary return', () => {
      expect(timelineOf([...activeECT, participantDeferred({ fromRegistration: true }), returnedFromDeferral('2025-10-01', '2026-01-05', '2026-01-05')]).contentStartDate).toBe('2026-01-05');
      expect(timelineOf([...activeECT, participantDeferred(), returnedFromDeferral('2025-10-01', '2026-01-05')]).contentStartDate).toBe('2025-09-01');
    });

    it('gives an induction tutor no schedule', () =>
      expect(timelineOf([inductionTutorRegistered()])).toMatchObject({ type: 'induction-tutor', scheduleIdentifier: null, contentStartDate: null }));
  });

  describe('Rule: DfE’s validation outcome is dated the London day it was recorded', () => {
    it('dates a validation recorded late in the evening UTC on the next London day in summer time', () =>
      expect(foldTimeline([{ event: dataValidationPassed(), recordedAt: '2025-10-01T23:30:00Z' }]).validation).toEqual({ outcome: 'validated', decidedOn: '2025-10-02' }));
    it('records a failure', () => expect(timelineOf([ectRegistered(), dataValidationFailed(['TRN not found'])]).validation).toEqual({ outcome: 'failed', decidedOn: '2025-10-01' }));
  });

  describe('Rule: it keeps every pause, deferral and withdrawal with its dates, and how it ended', () => {
    it('closes a pause on resume with the module to continue from, and keeps the next one open', () =>
      expect(timelineOf([...activeECT, ectPaused('2025-10-08', '2025-11-05'), ectResumed('2025-10-08', '2025-11-03', 'ect-y1-m02'), ectPaused('2026-01-12', '2026-02-02')]).pauses).toEqual([
        { startDate: '2025-10-08', expectedResumeDate: '2025-11-05', endDate: '2025-11-03', endedBy: 'resume', resumeFromModule: 'ect-y1-m02' },
        { startDate: '2026-01-12', expectedResumeDate: '2026-02-02', endDate: null, endedBy: null, resumeFromModule: null },
      ]));

    it('ends an open pause where a deferral takes over, and follows the deferral’s expected return date and return', () => {
      const timeline = timelineOf([
        ...activeECT,
        ectPaused('2025-10-08', '2025-11-05'),
        participantDeferred({ deferralDate: '2025-10-27', expectedReturnDate: '2026-01-05' }),
        deferralReturnDateUpdated('2026-01-05', '2026-02-02'),
        returnedFromDeferral('2025-10-27', '2026-01-26'),
      ]);
      expect(timeline.pauses[0]).toMatchObject({ endDate: '2025-10-27', endedBy: 'deferral' });
      expect(timeline.deferrals).toEqual([{ deferralDate: '2025-10-27', expectedReturnDate: '2026-02-02', fromRegistration: false, endDate: '2026-01-26', endedBy: 'return' }]);
    });

    it('ends an open deferral at a withdrawal, and closes the withdrawal on reinstatement', () => {
      const timeline = timelineOf([...activeECT, participantDeferred({ deferralDate: '2025-10-20' }), participantWithdrawn({ withdrawalDate: '2025-11-15' }), participantReinstated('2025-11-15', '2026-01-10')]);
      expect(timeline.deferrals[0]).toMatchObject({ endDate: '2025-11-15', endedBy: 'withdrawal' });
      expect(timeline.withdrawals).toEqual([{ withdrawalDate: '2025-11-15', reinstatedOn: '2026-01-10' }]);
    });
  });

  describe('Rule: it keeps module accesses, engagements, attendance, region coverage and Steplab access', () => {
    const timeline = timelineOf([
      ...activeECT,
      moduleAccessRecorded('ect-y1-m01', '2025-10-02T09:00:00Z'),
      engagementRecorded('self-study', '2025-10-02'),
      attendanceRecorded('conference-1', 'conference', '2025-10-06'),
      schoolChanged('2025-11-01', false),
      steplabAccessFormSubmitted(),
      steplabAccessGranted(),
      participantWithdrawn({ withdrawalDate: '2025-11-15' }),
      steplabAccessRevoked('2025-11-15'),
    ]);

    it('lists what the platform reported', () =>
      expect(timeline).toMatchObject({
        moduleAccesses: [{ moduleCode: 'ect-y1-m01', accessedAt: '2025-10-02T09:00:00Z' }],
        engagements: [{ kind: 'self-study', occurredOn: '2025-10-02' }],
        attendance: [{ eventCode: 'conference-1', eventKind: 'conference', attendedOn: '2025-10-06' }],
        regionChanges: [{ effectiveDate: '2025-11-01', region: 'south-west', regionCovered: false }],
      }));

    it('keeps the Steplab form, grant and revocation', () =>
      expect(timeline.steplab).toEqual({
        formSubmittedAt: NOW,
        accessDueBy: '2025-10-02T09:00:00Z',
        firstGrantedAt: NOW,
        lastGrantedAt: NOW,
        hasAccess: false,
        revokedOn: '2025-11-15',
        reinstatedOn: null,
      }));

    it('is plain JSON, so a projection can store it and carry on from the stored copy', () => {
      const stored = JSON.parse(JSON.stringify(timeline));
      expect(stored).toEqual(timeline);
      const next = participantReinstated('2025-11-15', '2026-01-10');
      expect(evolveTimeline(stored, next, NOW)).toEqual(evolveTimeline(timeline, next, NOW));
    });
  });

  it('Rule: events the calculations do not need leave it unchanged', () => {
    const timeline = timelineOf(activeECT.slice(0, 2));
    expect(evolveTimeline(timeline, mentorMatched(), NOW)).toBe(timeline);
  });

  it('starts empty', () => expect(foldTimeline([])).toEqual(initialTimeline()));
});
