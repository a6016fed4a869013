import { activeECT, activeMentor, CURRICULUM, ECT_ID, MENTOR_ID, PAYMENT_SCHEDULES } from '@ecf/domain/testing';
import { allPaymentReportValues, participantProgrammeProjection, participantSummaryProjection, paymentEligibilityReport } from '@ecf/projections';
import { ProjectionHarness } from '@ecf/projections/testing/projection-harness';
import { DisposableReadModels, freshReadModels, READ_MODEL_KINDS } from '@ecf/projections/testing/read-model-databases';

const PROGRAMME_ORDER = ['started', 'retained-1', 'retained-2', 'retained-3', 'retained-4', 'completed'];

/**
 * The payment report lists each participant's windows as the schedule runs (SPEC §3: "Standard schedules
 * have six milestones, one a term — started, retained-1…retained-4, completed"), not alphabetically, and a
 * page boundary inside a participant's windows carries on from the next window.
 */
describe.each(READ_MODEL_KINDS)('the payment report’s order (%s)', (kind) => {
  let readModels: DisposableReadModels;
  let tables: { programme: ProjectionHarness['table']; summary: ProjectionHarness['table'] };

  beforeEach(async () => {
    readModels = await freshReadModels(kind);
    const programme = await new ProjectionHarness(readModels.db, participantProgrammeProjection({ curriculum: CURRICULUM, paymentSchedules: PAYMENT_SCHEDULES })).createTables();
    const summary = await new ProjectionHarness(readModels.db, participantSummaryProjection).createTables();
    for (const harness of [summary, programme]) await harness.project(...activeECT, ...activeMentor);
    tables = { programme: programme.table, summary: summary.table };
  });
  afterEach(() => readModels.dispose());

  const windowsOf = (rows: { participantId: string; declarationType: string }[], participantId: string) =>
    rows.filter((row) => row.participantId === participantId).map((row) => row.declarationType);

  it('given an ECT and a mentor, when the report is read, then each participant’s windows come in the programme’s order: started, retained 1–4, completed', async () => {
    const rows = await paymentEligibilityReport(readModels.db, tables, { limit: 100 });
    expect(windowsOf(rows, ECT_ID)).toEqual(PROGRAMME_ORDER);
    expect(windowsOf(rows, MENTOR_ID)).toEqual(PROGRAMME_ORDER);
    expect(rows.map((row) => row.participantId)).toEqual([...rows.map((row) => row.participantId)].sort());
  });

  it('given pages that end inside a participant’s windows, when read page after page, then the rows are those of one read, in the same order', async () => {
    const atOnce = await paymentEligibilityReport(readModels.db, tables, { limit: 100 });
    const paged: string[] = [];
    for await (const chunk of allPaymentReportValues(readModels.db, tables, {}, 4)) paged.push(...chunk.map(([participantId, , , , , , declarationType]) => `${participantId}~${declarationType}`));
    expect(paged).toEqual(atOnce.map((row) => `${row.participantId}~${row.declarationType}`));
    expect(paged).toHaveLength(PROGRAMME_ORDER.length * 2);
  });

  it('given a cursor naming only a participant, when read, then the rows start with the next participant', async () => {
    const [first] = [ECT_ID, MENTOR_ID].sort();
    const rows = await paymentEligibilityReport(readModels.db, tables, { after: { participantId: first }, limit: 100 });
    expect(new Set(rows.map((row) => row.participantId))).toEqual(new Set([first === ECT_ID ? MENTOR_ID : ECT_ID]));
  });

  it('given the participant summary holds names, when the report is read, then each row carries them for the API to show or withhold', async () => {
    const [row] = await paymentEligibilityReport(readModels.db, tables, { limit: 1 });
    expect(typeof row.firstName).toBe('string');
    expect(typeof row.lastName).toBe('string');
  });
});
