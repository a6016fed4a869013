import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DECLARATION_TYPES } from '@ecf/domain';
import { CURRICULUM, PAYMENT_SCHEDULES } from '@ecf/domain/testing';
import {
  allPaymentReportValues, PARTICIPANT_SUMMARY_TABLE, participantProgrammeProjection, participantSummaryProjection, PAYMENT_ELIGIBILITY_TABLE,
  paymentEligibilityReport, PaymentReportFilter, ReadModelDatabase, SqliteReadModelDatabase,
} from '@ecf/projections';
import { ProjectionHarness } from '@ecf/projections/testing/projection-harness';
import { freshReadModels } from '@ecf/projections/testing/read-model-databases';
import { paymentReportCsv } from './payment-report-csv';
import { paymentReportCsvPage, toItem } from './reports.controller';

/**
 * The streamed CSV is written straight from arrays of values; a page of the report goes through the report
 * items the JSON shows (`toItem`, `csvLines`), as the streamed CSV did before. On generated rows — every
 * state, nulls, partial declarations, erased names, names and codes with commas, quotes, line breaks and
 * formula characters — both must give the same bytes, for every filter, with and without the names.
 */
const TODAY = '2026-03-15';
const PARTNERS = ['dp-north', 'dp-midlands', '=HYPERLINK("http://evil","x")', '-dp'];
const SCHOOLS = ['100001', '200001', '@SUM(A1)', '300,001', '"400001"'];

const tricky = fc.string({ unit: fc.constantFrom(',', '"', '\n', '\r', '=', '+', '-', '@', '\t', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20', 'a', 'é', ' ', "'"), maxLength: 8 });
const nameOrErased = fc.oneof(fc.constant(null), fc.string({ maxLength: 12 }), tricky, fc.constantFrom('Smith, Jo', 'O"Brien', 'Anne\nMarie', '=1+2', '+44', '@home', 'Zoë'));
const day = fc.integer({ min: 0, max: 5 * 365 }).map((offset) => new Date(Date.UTC(2024, 0, 1) + offset * 86_400_000).toISOString().slice(0, 10));
const maybe = <T>(value: fc.Arbitrary<T>) => fc.option(value, { nil: null });
const declaration = fc.oneof(
  fc.constant([null, null, null]),
  fc.tuple(day, fc.constantFrom('ecf-induction', 'ecf-mentor', '-course'), fc.constantFrom('training-event-attended', '+evidence')),
  fc.tuple(maybe(day), maybe(fc.constant('ecf-induction')), maybe(fc.constant('other'))),
);
const eligibilityRow = fc.record({
  windowStart: day,
  windowEnd: maybe(day),
  engagementCountsUntil: maybe(day),
  paymentDate: day,
  eligible: fc.constantFrom(0, 1),
  reason: fc.constantFrom('engaged', 'no-engagement-while-active', 'deferred', 'withdrawn-before-engaging'),
  declaration,
});
const participant = fc.record({
  participantId: fc.uuid(),
  type: fc.constantFrom('ect', 'mentor'),
  firstName: nameOrErased,
  lastName: nameOrErased,
  schoolUrn: fc.constantFrom(...SCHOOLS),
  cohort: fc.integer({ min: 2024, max: 2027 }),
  deliveryPartnerId: maybe(fc.constantFrom(...PARTNERS)),
  windows: fc.subarray([...DECLARATION_TYPES], { minLength: 1 }),
  rows: fc.array(eligibilityRow, { minLength: 9, maxLength: 9 }),
});
const PARTICIPANTS = fc.sample(fc.uniqueArray(participant, { minLength: 120, maxLength: 120, selector: (p) => p.participantId }), { seed: 20261203, numRuns: 1 })[0];

async function writeRows(db: ReadModelDatabase, tables: Tables): Promise<void> {
  await db.transaction(async (session) => {
    for (const p of PARTICIPANTS) {
      await session.run(
        `INSERT INTO ${tables.summary(PARTICIPANT_SUMMARY_TABLE)} (participant_id, type, first_name, last_name, school_urn, cohort, delivery_partner_id, status, validation, steplab_status, registered_on, revision, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'active', 'passed', 'none', '2025-09-01', 1, '2025-09-01T00:00:00Z')`,
        [p.participantId, p.type, p.firstName, p.lastName, p.schoolUrn, p.cohort, p.deliveryPartnerId],
      );
      for (const [ordinal, declarationType] of p.windows.entries()) {
        const row = p.rows[ordinal];
        await session.run(
          `INSERT INTO ${tables.programme(PAYMENT_ELIGIBILITY_TABLE)} (participant_id, ordinal, declaration_type, window_start, window_end, engagement_counts_until, payment_date, eligible, reason, declaration_date, course_identifier, evidence_held)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [p.participantId, ordinal, declarationType, row.windowStart, row.windowEnd, row.engagementCountsUntil, row.paymentDate, row.eligible, row.reason, ...row.declaration],
        );
      }
    }
  });
}

type Tables = { programme: ProjectionHarness['table']; summary: ProjectionHarness['table'] };

const middle = [...PARTICIPANTS].map((p) => p.participantId).sort()[60];
// Every filter at once, matching some rows: taken from a generated participant's second window.
const some = PARTICIPANTS.find((p) => p.deliveryPartnerId !== null && p.windows.length > 1) as (typeof PARTICIPANTS)[number];
const FILTERS: Omit<PaymentReportFilter, 'limit'>[] = [
  {},
  ...DECLARATION_TYPES.map((declarationType) => ({ declarationType })),
  { eligible: true },
  { eligible: false },
  ...PARTNERS.map((deliveryPartnerId) => ({ deliveryPartnerId })),
  { cohort: 2025 },
  { schoolUrns: ['@SUM(A1)', '300,001'] },
  { schoolUrns: [] },
  { declarationType: some.windows[1], eligible: some.rows[1].eligible === 1, cohort: some.cohort, deliveryPartnerId: some.deliveryPartnerId as string },
  { after: { participantId: middle } },
  { after: { participantId: middle, ordinal: 2 } },
];

async function textOf(pieces: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const piece of pieces) text += piece;
  return text;
}

describe.each(['sqlite', 'postgres'] as const)('the streamed payment report CSV against a page of the report (%s)', (kind) => {
  let db: ReadModelDatabase;
  let dispose: () => Promise<void>;
  let tables: Tables;

  beforeAll(async () => {
    if (kind === 'sqlite') {
      // A file, as the API reads it: the reads go through the second, read-only connection.
      const dir = mkdtempSync(join(tmpdir(), 'ecf-report-'));
      const sqlite = SqliteReadModelDatabase.open(join(dir, 'read-models.sqlite'));
      db = sqlite;
      dispose = async () => {
        await sqlite.close();
        rmSync(dir, { recursive: true, force: true });
      };
    } else {
      const postgres = await freshReadModels('postgres');
      db = postgres.db;
      dispose = () => postgres.dispose();
    }
    const programme = await new ProjectionHarness(db, participantProgrammeProjection({ curriculum: CURRICULUM, paymentSchedules: PAYMENT_SCHEDULES })).createTables();
    const summary = await new ProjectionHarness(db, participantSummaryProjection).createTables();
    tables = { programme: programme.table, summary: summary.table };
    await writeRows(db, tables);
  });
  afterAll(() => dispose());

  const previousCsv = async (filter: Omit<PaymentReportFilter, 'limit'>, showPersonal: boolean) => {
    const rows = await paymentEligibilityReport(db, tables, { ...filter, limit: 1_000_000 });
    return paymentReportCsvPage(rows.map((row) => toItem(row, TODAY, showPersonal)), showPersonal);
  };
  // Chunks of 7 rows end inside participants' windows, so every keyset seek is exercised too.
  const streamedCsv = (filter: Omit<PaymentReportFilter, 'limit'>, showPersonal: boolean) =>
    textOf(paymentReportCsv(allPaymentReportValues(db, tables, filter, 7), TODAY, showPersonal));

  it('covers what it claims: every state, erased names, partial declarations, cells to quote and to neutralise', async () => {
    const csv = await previousCsv({}, true);
    for (const state of [',eligible,', ',not-eligible,', ',window-not-open,', ',window-open,']) expect(csv).toContain(state);
    expect(csv).toContain(",,\n");
    expect(csv).toContain('"');
    expect(csv).toContain("'=");
    // The streamed lines take one of two paths: written as they are when one test of the line finds nothing to
    // quote or guard, cell by cell otherwise. Both kinds are here, and the cells that send a line the long way.
    expect(csv.split('\n').filter((line) => /^[0-9a-f-]{36},[^"']*$/.test(line)).length).toBeGreaterThan(20);
    expect(csv).toContain(',"300,001",');
    expect(csv).toContain(",'-dp,");
    expect(csv).toContain(",'@SUM(A1),");
    for (const guarded of ["'\uFF1D", "'\uFF0B", "'\uFF0D", "'\uFF20", "'\t", "'+", "'-"]) expect(csv).toContain(guarded);
    expect((await paymentEligibilityReport(db, tables, { limit: 1_000_000 })).length).toBeGreaterThan(400);
    expect(PARTICIPANTS.some((p) => p.rows.some((row) => (row.declaration as readonly (string | null)[]).filter((value) => value === null).length === 1))).toBe(true);
  });

  it.each(FILTERS.map((filter) => [JSON.stringify(filter), filter] as const))('gives the same bytes for %s, with and without the names', async (_, filter) => {
    for (const showPersonal of [true, false]) expect(await streamedCsv(filter, showPersonal)).toBe(await previousCsv(filter, showPersonal));
  });
});
