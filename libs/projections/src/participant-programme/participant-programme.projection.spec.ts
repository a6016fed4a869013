import { ParticipantEvent } from '@ecf/domain';
import {
  activeECT,
  CURRICULUM,
  ECT_ID,
  ectPaused,
  ectRegistered,
  ectResumed,
  engagementRecorded,
  participantDeferred,
  participantReinstated,
  participantWithdrawn,
  PAYMENT_SCHEDULES,
  returnedFromDeferral,
  schoolChanged,
} from '@ecf/domain/testing';
import { generationTable } from '../engine/projection';
import { ProjectionHarness } from '../testing/projection-harness';
import { DisposableReadModels, freshReadModels, READ_MODEL_KINDS } from '../testing/read-model-databases';
import { participantProgrammeProjection } from './participant-programme.projection';
import { findPaymentEligibility, findReleaseSchedule } from './participant-programme.queries';

const projection = participantProgrammeProjection({ curriculum: CURRICULUM, paymentSchedules: PAYMENT_SCHEDULES });

describe.each(READ_MODEL_KINDS)('participant-programme projection: given events, the read-model rows (%s)', (kind) => {
  let readModels: DisposableReadModels;
  let harness: ProjectionHarness;
  const table = generationTable(1);

  beforeEach(async () => {
    readModels = await freshReadModels(kind);
    harness = await new ProjectionHarness(readModels.db, projection).createTables();
  });
  afterEach(() => readModels.dispose());

  const given = (...events: ParticipantEvent[]) => harness.project(...events);
  const releases = async () =>
    Object.fromEntries(((await findReleaseSchedule(readModels.db, table, ECT_ID, 'ect'))?.rows ?? []).map((row) => [row.code, [row.releaseDate, row.reason]]));
  const milestones = async () => Object.fromEntries((await findPaymentEligibility(readModels.db, table, ECT_ID)).map((row) => [row.declarationType, [row.eligible, row.reason]]));

  it('Rule: content starts 1 September of the cohort; every item released on its plan', async () => {
    await given(...activeECT);
    expect((await releases())['ect-y1-m01']).toEqual(['2025-09-01', 'as-planned']);
  });

  it('Rule: a registration after 1 November starts in January (ecf-standard-january)', async () => {
    await given(ectRegistered({ registeredOn: '2025-11-20', scheduleIdentifier: 'ecf-standard-january', contentStartDate: '2026-01-01' }));
    const schedule = await findReleaseSchedule(readModels.db, table, ECT_ID, 'ect');
    expect(schedule?.contentStartDate).toBe('2026-01-01');
    expect(schedule?.rows[0]?.plannedDate).toBe('2026-01-01');
  });

  it('Rule: a pause in the middle of a module’s window releases what fell inside it at resume; the plan after is unchanged', async () => {
    await given(...activeECT, ectPaused('2025-09-15', '2025-10-10'), ectResumed('2025-09-15', '2025-10-08'));
    const rows = await releases();
    expect(rows['ect-y1-m02']).toEqual(['2025-10-08', 'released-at-resume']);
    expect(rows['ect-y1-m03']).toEqual(['2025-10-13', 'as-planned']);
  });

  it('Rule: a deferral across a term boundary holds everything unreleased and moves the rest of the plan on by its length', async () => {
    await given(...activeECT, participantDeferred({ deferralDate: '2025-11-01', expectedReturnDate: '2026-01-05' }), returnedFromDeferral('2025-11-01', '2026-01-05'));
    const rows = await releases();
    expect(rows['ect-y1-m03']).toEqual(['2025-10-13', 'as-planned']);
    // Planned 10 November, moved on by the deferral's 65 days; the original plan is kept beside it.
    expect(rows['ect-y1-m04']).toEqual(['2026-01-14', 'moved-by-deferral']);
    const schedule = await findReleaseSchedule(readModels.db, table, ECT_ID, 'ect');
    expect(schedule?.rows.find((row) => row.code === 'ect-y1-m04')).toMatchObject({ plannedDate: '2025-11-10', dueDate: '2026-01-14' });
  });

  it('Rule: a withdrawal mid-window releases nothing after its date; what was met before it still pays, with a declaration before the withdrawal', async () => {
    await given(...activeECT, engagementRecorded('module-completed', '2025-10-02'), participantWithdrawn({ withdrawalDate: '2025-10-20' }), engagementRecorded('self-study', '2025-10-25'));
    const rows = await releases();
    expect(rows['ect-y1-m04']).toEqual([null, 'not-released-withdrawn']);
    const started = (await findPaymentEligibility(readModels.db, table, ECT_ID)).find((row) => row.declarationType === 'started');
    expect(started).toMatchObject({ eligible: true, reason: 'engaged', declaration: { declarationDate: '2025-10-02', courseIdentifier: 'ecf-induction' } });
  });

  it('Rule: a move into a region the lead provider does not cover stops output payments from the move date', async () => {
    await given(...activeECT, engagementRecorded('module-completed', '2025-10-02'), schoolChanged('2025-12-01', false), engagementRecorded('self-study', '2026-02-02'));
    const rows = await milestones();
    expect(rows.started).toEqual([true, 'engaged']);
    expect(rows['retained-1'][1]).toBe('region-not-covered');
  });

  it('Rule: a reinstatement releases what fell in the withdrawn period on the reinstatement date', async () => {
    await given(...activeECT, participantWithdrawn({ withdrawalDate: '2025-10-01' }), participantReinstated('2025-10-01', '2025-11-03'));
    const rows = await releases();
    expect(rows['ect-y1-m03']).toEqual(['2025-11-03', 'released-at-reinstatement']);
  });
});
