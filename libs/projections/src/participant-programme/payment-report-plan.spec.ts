import { CURRICULUM, PAYMENT_SCHEDULES } from '@ecf/domain/testing';
import { ProjectionHarness } from '../testing/projection-harness';
import { DisposableReadModels, freshReadModels, READ_MODEL_KINDS } from '../testing/read-model-databases';
import { PARTICIPANT_SUMMARY_TABLE, participantSummaryProjection } from '../participant-summary/participant-summary.projection';
import { SqlValue } from '../read-models/sql-database';
import { participantProgrammeProjection, PAYMENT_ELIGIBILITY_TABLE } from './participant-programme.projection';
import { allPaymentReportValues, PaymentReportFilter } from './participant-programme.queries';

const PARTICIPANTS = 2000;
const WINDOWS = ['started', 'retained-1', 'retained-2', 'retained-3', 'retained-4', 'completed'];
const CHUNK = 60;
const participantId = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/**
 * The streamed report reads every row in the table's key order (ADR 0018): each chunk seeks the primary key
 * (participant_id, ordinal) and reads it in order, with no sort of the rows it reads, on both databases. With
 * the key on (participant_id, declaration_type) SQLite sorted each participant's rows by ordinal in a
 * temporary B-tree ("USE TEMP B-TREE FOR LAST TERM OF ORDER BY") and PostgreSQL in an Incremental Sort.
 */
describe.each(READ_MODEL_KINDS)('the streamed payment report’s query plan (%s)', (kind) => {
  let readModels: DisposableReadModels;
  let tables: { programme: ProjectionHarness['table']; summary: ProjectionHarness['table'] };

  beforeAll(async () => {
    readModels = await freshReadModels(kind);
    const programme = await new ProjectionHarness(readModels.db, participantProgrammeProjection({ curriculum: CURRICULUM, paymentSchedules: PAYMENT_SCHEDULES })).createTables();
    const summary = await new ProjectionHarness(readModels.db, participantSummaryProjection).createTables();
    tables = { programme: programme.table, summary: summary.table };
    await readModels.db.transaction(async (session) => {
      for (let n = 0; n < PARTICIPANTS; n += 1) {
        await session.run(
          `INSERT INTO ${tables.summary(PARTICIPANT_SUMMARY_TABLE)} (participant_id, type, school_urn, cohort, status, validation, steplab_status, registered_on, revision, updated_at)
           VALUES (?, 'ect', ?, 2025, 'active', 'passed', 'none', '2025-09-01', 1, '2025-09-01T00:00:00Z')`,
          [participantId(n), String(100000 + (n % 50))],
        );
        for (const [ordinal, declarationType] of WINDOWS.entries()) {
          await session.run(
            `INSERT INTO ${tables.programme(PAYMENT_ELIGIBILITY_TABLE)} (participant_id, ordinal, declaration_type, window_start, payment_date, eligible, reason)
             VALUES (?, ?, ?, '2025-09-01', '2025-12-31', 1, 'engaged')`,
            [participantId(n), ordinal, declarationType],
          );
        }
      }
    });
    // As autovacuum leaves a table of this size: PostgreSQL plans by its statistics.
    if (kind === 'postgres') {
      for (const table of [tables.summary(PARTICIPANT_SUMMARY_TABLE), tables.programme(PAYMENT_ELIGIBILITY_TABLE)]) await readModels.db.exec(`ANALYZE ${table}`);
    }
  });
  afterAll(() => readModels.dispose());

  /**
   * The statements the streamed report ran for `filter`, and each one's plan as text. Chunks of 60 rows of the
   * 12 000: about the share of the national report (827 226 rows) a chunk of the export's 5 000 is, and PostgreSQL
   * chooses by that share (a chunk of most of a small table is cheaper hashed and sorted).
   */
  async function plansOf(filter: Omit<PaymentReportFilter, 'limit'>): Promise<{ rows: number; plans: string[] }> {
    const read = jest.spyOn(readModels.db, 'allValues');
    let rows = 0;
    let statements: [string, readonly SqlValue[]][];
    try {
      for await (const chunk of allPaymentReportValues(readModels.db, tables, filter, CHUNK)) rows += chunk.length;
      statements = read.mock.calls.map(([sql, params]) => [sql, params ?? []]);
    } finally {
      read.mockRestore();
    }
    const explain = kind === 'sqlite' ? 'EXPLAIN QUERY PLAN' : 'EXPLAIN';
    const plans = await Promise.all(
      statements.map(async ([sql, params]) => (await readModels.db.all<Record<string, string>>(`${explain} ${sql}`, params)).map((row) => (kind === 'sqlite' ? row.detail : row['QUERY PLAN'])).join('\n')),
    );
    return { rows, plans };
  }

  /**
   * SQLite plans by the schema alone: every chunk. PostgreSQL plans by its statistics, and for the last chunks of
   * a table this small (a few hundred rows left, a summary of 2 000 participants to hash) it hashes and sorts,
   * which costs next to nothing there; the chunks with most of the table ahead are the ones that matter.
   */
  const aheadOfTheTail = (plans: string[]) => (kind === 'sqlite' ? plans : plans.slice(0, Math.ceil(plans.length / 2)));

  it('given every participant in scope, when the report is streamed, then each chunk reads the key in order and sorts nothing', async () => {
    const { rows, plans } = await plansOf({});
    expect(rows).toBe(PARTICIPANTS * WINDOWS.length);
    expect(plans.length).toBeGreaterThan(2);
    for (const plan of aheadOfTheTail(plans)) {
      expect(plan).not.toMatch(/TEMP B-TREE|Sort/);
      expect(plan).toMatch(kind === 'sqlite' ? /p USING INDEX sqlite_autoindex_payment_eligibility_g1_1/ : /Index Scan using payment_eligibility_g1_pkey on payment_eligibility_g1 p/);
    }
  });

  it('given a cursor inside a participant’s windows, when the report is streamed from it, then the seek sorts nothing either', async () => {
    const { rows, plans } = await plansOf({ after: { participantId: participantId(PARTICIPANTS / 2), ordinal: 2 } });
    expect(rows).toBe((PARTICIPANTS / 2 - 1) * WINDOWS.length + (WINDOWS.length - 3));
    expect(plans.length).toBeGreaterThan(2);
    for (const plan of aheadOfTheTail(plans)) expect(plan).not.toMatch(/TEMP B-TREE|Sort/);
  });
});
