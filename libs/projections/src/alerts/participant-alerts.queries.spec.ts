import {
  dataValidationPassed,
  ECT_ID,
  ectRegistered,
  MENTOR_ID,
  mentorMatched,
  mentorRegistered,
  OTHER_MENTOR_ID,
  participantDeferred,
  participantWithdrawn,
  steplabAccessFormSubmitted,
  steplabAccessGranted,
} from '@ecf/domain/testing';
import { participantSummaryProjection } from '../participant-summary/participant-summary.projection';
import { ProjectionHarness } from '../testing/projection-harness';
import { DisposableReadModels, freshReadModels, READ_MODEL_KINDS } from '../testing/read-model-databases';
import { AlertClock, listParticipantAlerts, ParticipantAlertKind } from './participant-alerts.queries';

const ectPaused = (startDate: string, expectedResumeDate: string) => ({
  type: 'ECTPaused',
  data: { participantId: ECT_ID, startDate, expectedResumeDate, reason: 'illness' },
});
const on = (today: string): AlertClock => ({ today, now: `${today}T12:00:00.000Z` });

describe.each(READ_MODEL_KINDS)('Participant alerts, computed against the clock when asked (%s)', (kind) => {
  let readModels: DisposableReadModels;
  let harness: ProjectionHarness;

  beforeEach(async () => {
    readModels = await freshReadModels(kind);
    harness = await new ProjectionHarness(readModels.db, participantSummaryProjection).createTables();
  });
  afterEach(() => readModels.dispose());

  const alerts = async (clock: AlertClock, alertKind?: ParticipantAlertKind) =>
    (await listParticipantAlerts(readModels.db, harness.table, clock, { kind: alertKind, limit: 100 })).map(({ kind: k, participantId, raisedOn }) => ({ kind: k, participantId, raisedOn }));

  it('Rule: a pause still open after 6 weeks raises an alert (consider deferral), from the day the 6 weeks are up', async () => {
    await harness.project(ectRegistered(), dataValidationPassed(), mentorMatched(), ectPaused('2025-10-06', '2025-11-10'));
    expect(await alerts(on('2025-11-16'), 'pause-over-6-weeks')).toEqual([]);
    expect(await alerts(on('2025-11-17'), 'pause-over-6-weeks')).toEqual([{ kind: 'pause-over-6-weeks', participantId: ECT_ID, raisedOn: '2025-11-17' }]);
  });

  it('Rule: Steplab access not granted within 24 hours of the form is overdue; granting it clears the alert', async () => {
    await harness.project(ectRegistered(), mentorMatched(), steplabAccessFormSubmitted(ECT_ID, '2025-10-01T09:00:00.000Z', '2025-10-02T09:00:00.000Z'));
    expect(await alerts({ today: '2025-10-02', now: '2025-10-02T08:59:00.000Z' }, 'steplab-access-overdue')).toEqual([]);
    expect(await alerts({ today: '2025-10-02', now: '2025-10-02T09:01:00.000Z' }, 'steplab-access-overdue')).toEqual([
      { kind: 'steplab-access-overdue', participantId: ECT_ID, raisedOn: '2025-10-02' },
    ]);
    await harness.project(steplabAccessGranted(ECT_ID, '2025-10-02T10:00:00.000Z'));
    expect(await alerts(on('2025-10-03'), 'steplab-access-overdue')).toEqual([]);
  });

  it('Rule: an ECT in the programme without a mentor is alerted until matched; mentors are not', async () => {
    await harness.project(ectRegistered(), mentorRegistered());
    expect(await alerts(on('2025-10-01'), 'ect-without-mentor')).toEqual([{ kind: 'ect-without-mentor', participantId: ECT_ID, raisedOn: expect.any(String) }]);
    await harness.project(mentorMatched());
    expect(await alerts(on('2025-10-01'), 'ect-without-mentor')).toEqual([]);
  });

  it('Rule: a deferral past its expected return date is alerted from the day after it', async () => {
    await harness.project(ectRegistered(), dataValidationPassed(), mentorMatched(), mentorRegistered(), dataValidationPassed(MENTOR_ID), participantDeferred({ expectedReturnDate: '2026-06-01' }));
    expect(await alerts(on('2026-06-01'))).toEqual([]);
    expect(await alerts(on('2026-06-02'))).toEqual([{ kind: 'deferral-past-return-date', participantId: ECT_ID, raisedOn: '2026-06-02' }]);
  });

  describe('Rule: a mentor withdrawn with their ECT and still withdrawn once the ECT is reinstated is alerted, naming the ECT', () => {
    // Seed 004, Withdraw: "If the ECT has been withdrawn, then the mentor also needs to be withdrawn." Reinstating the
    // ECT does not bring the mentor back by itself, so the back office is told that a DPL can.
    const mentorWithdrawnWithEct = participantWithdrawn({ participantId: MENTOR_ID, participantType: 'mentor', reason: 'mentor-no-longer-being-mentor', mentorId: null, cascadedFromEctId: ECT_ID });
    const reinstated = (participantId: string, reinstatedOn: string) => ({
      type: 'ParticipantReinstated',
      data: { participantId, withdrawalDate: '2025-10-01', reinstatedOn, includeCascadedMentor: false, cascadedFromEctId: null },
    });
    const withdrawnPair = () =>
      harness.project(ectRegistered(), dataValidationPassed(), mentorRegistered(), dataValidationPassed(MENTOR_ID), mentorMatched(), participantWithdrawn(), mentorWithdrawnWithEct);
    const mentorAlerts = async () =>
      (await listParticipantAlerts(readModels.db, harness.table, on('2025-10-20'), { kind: 'mentor-withdrawn-with-reinstated-ect', limit: 10 })).map(
        ({ participantId, relatedParticipantId, raisedOn }) => ({ participantId, relatedParticipantId, raisedOn }),
      );

    it('given the pair withdrawn, nothing is alerted until the ECT is reinstated, then the mentor is, from the reinstatement day', async () => {
      await withdrawnPair();
      expect(await mentorAlerts()).toEqual([]);
      await harness.project(reinstated(ECT_ID, '2025-10-15'));
      expect(await mentorAlerts()).toEqual([{ participantId: MENTOR_ID, relatedParticipantId: ECT_ID, raisedOn: '2025-10-15' }]);
    });

    it('clears when the mentor is reinstated', async () => {
      await withdrawnPair();
      await harness.project(reinstated(ECT_ID, '2025-10-15'), reinstated(MENTOR_ID, '2025-10-16'));
      expect(await mentorAlerts()).toEqual([]);
    });

    it('clears when the ECT is withdrawn again', async () => {
      await withdrawnPair();
      await harness.project(reinstated(ECT_ID, '2025-10-15'), participantWithdrawn({ withdrawalDate: '2025-10-17' }));
      expect(await mentorAlerts()).toEqual([]);
    });

    it('clears when the ECT is matched with another mentor', async () => {
      await withdrawnPair();
      await harness.project(reinstated(ECT_ID, '2025-10-15'), mentorMatched({ mentorId: OTHER_MENTOR_ID }));
      expect(await mentorAlerts()).toEqual([]);
    });

    it('is not raised for a mentor withdrawn on their own account', async () => {
      await harness.project(ectRegistered(), mentorRegistered(), mentorMatched(), participantWithdrawn(), participantWithdrawn({ participantId: MENTOR_ID, participantType: 'mentor', reason: 'moved-school', mentorId: null }));
      await harness.project(reinstated(ECT_ID, '2025-10-15'));
      expect(await mentorAlerts()).toEqual([]);
    });
  });

  it('narrows to a delivery partner and to schools', async () => {
    await harness.project(ectRegistered());
    const scoped = (filter: object) => listParticipantAlerts(readModels.db, harness.table, on('2025-10-01'), { limit: 10, ...filter });
    expect(await scoped({ schoolUrns: [] })).toEqual([]);
    expect(await scoped({ schoolUrns: ['100001'] })).toHaveLength(1);
    expect(await scoped({ deliveryPartnerId: 'dp-nobody' })).toEqual([]);
  });
});
