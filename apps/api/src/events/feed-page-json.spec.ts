import Database from 'better-sqlite3';
import type { Response } from 'express';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { currentSchemaVersion, DOMAIN_EVENT_TYPES } from '@ecf/domain';
import { EventStore, isStoredJson, NewEvent, parseStoredJson, RecordedEvent, SqliteEventStore, StoredJsonEvent } from '@ecf/event-store';
import { dropTestSchema, newTestSchemaName, openTestStore, queryTestSchema } from '@ecf/event-store/postgres/testing/test-database';
import { ApiKeyStore, PersonalDataVault, Principal, productEventStore, Role } from '@ecf/runtime';
import { SEES_PERSONAL_DATA } from '../auth/permissions';
import { toFeedEvent } from './event-feed';
import { EventsController, FeedQueryDto } from './events.controller';
import { feedPageJson } from './feed-page-json';

/**
 * The feed writes events that need no work as their stored JSON text. Its pages must be byte for byte
 * what the path that parses every event sent: checked on a generated log (every event type, both
 * versions where an upcaster exists, registrations sealed, erased and forgotten, data with every kind of
 * JSON value) for a role that sees personal data and one that does not, on SQLite and PostgreSQL.
 */

/** A small deterministic generator (mulberry32), so a failure names a log that can be made again. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Text JSON escapes or that a naive splice would get wrong: quotes, backslashes, controls, line separators, astral and lone surrogates, a key-like fragment. */
const PIECES = ['a', 'Zoë', '"', '\\', '\n', '\u0000', '\u001f', '\u2028', '😀', '\ud800', '</script>', '"personal":', '"schemaVersion":', ' ', '{', '0'];
const NUMBERS = [0, -0, 1, -7, 3.5, 1e21, 5e-324, 2 ** 53, 0.1 + 0.2];
/** Integer-like keys, which objects order before the others. */
const KEYS = ['a', 'b', 'zeta', '10', '2', 'é', 'with space', 'nested'];

function generator(next: () => number) {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  const text = (): string => Array.from({ length: 1 + Math.floor(next() * 4) }, () => pick(PIECES)).join('');
  const value = (depth: number): unknown => {
    const kind = pick(['text', 'number', 'boolean', 'null', 'array', 'object']);
    if (depth > 2 || kind === 'text') return text();
    if (kind === 'number') return pick(NUMBERS);
    if (kind === 'boolean') return next() < 0.5;
    if (kind === 'null') return null;
    if (kind === 'array') return Array.from({ length: Math.floor(next() * 3) }, () => value(depth + 1));
    return object(depth + 1);
  };
  const object = (depth: number): Record<string, unknown> => {
    const result: Record<string, unknown> = {};
    for (let i = Math.floor(next() * 4); i > 0; i--) result[pick(KEYS)] = value(depth);
    return result;
  };
  return { pick, text, object, chance: (p: number) => next() < p, upTo: (n: number) => 1 + Math.floor(next() * n) };
}

const ACTOR_ROLES = ['system', 'dpl', 'ecf-lead', 'policy'];
const REGISTRATIONS = ['ECTRegistered', 'MentorRegistered', 'InductionTutorRegistered'];

/** The log: per participant a registration (sealed), then events of every type at every version, some participants erased or forgotten. */
async function writeGeneratedLog(store: EventStore, vault: PersonalDataVault, seed: number): Promise<{ forgotten: string[] }> {
  const { pick, text, object, chance, upTo } = generator(random(seed));
  const forgotten: string[] = [];
  let serial = 0;
  const id = (prefix: number) => `${String(prefix).padStart(8, '0')}-0000-4000-8000-${String(++serial).padStart(12, '0')}`;
  const event = (type: string, schemaVersion: number, data: Record<string, unknown>): NewEvent => ({
    eventId: id(1),
    type,
    data,
    metadata: {
      commandId: id(2),
      correlationId: id(3),
      causationId: id(4),
      actor: { id: text(), role: pick(ACTOR_ROLES) },
      ...(chance(0.3) ? { reason: text() } : {}),
      ...(chance(0.2) ? { traceparent: `00-${'ab'.repeat(16)}-${'cd'.repeat(8)}-01` } : {}),
      schemaVersion,
    },
  });
  const dataFor = (type: string, version: number, participantId: string): Record<string, unknown> => {
    const data: Record<string, unknown> = { ...object(0), participantId };
    // The v1 → v2 upcaster of DataValidationFailed reads its free-text reasons.
    if (type === 'DataValidationFailed' && version === 1) data.reasons = ['TRN and date of birth do not match', text()];
    // A `personal` key deeper down is not personal data: it stays, and only costs a parse.
    if (chance(0.1)) data.nested = { personal: text() };
    return data;
  };

  await store.appendToStream('school-100001', [event('SchoolPartnershipRegistered', 1, { urn: '100001', name: text(), cohort: 2026 })], { expectedRevision: 'no_stream' });
  for (let p = 0; p < 60; p++) {
    const participantId = id(5);
    const streamId = `participant-${participantId}`;
    const personal = { firstName: text(), lastName: text(), dateOfBirth: '1990-01-01', email: `${p}@example.org` };
    const events: NewEvent[] = [event(pick(REGISTRATIONS), 1, { participantId, personal, ...object(0) })];
    for (const type of DOMAIN_EVENT_TYPES) {
      for (let version = 1; version <= currentSchemaVersion(type); version++) if (chance(0.25)) events.push(event(type, version, dataFor(type, version, participantId)));
    }
    await store.appendToStream(`trn-${3_000_000 + p}`, [event('TrnClaimed', 1, { trn: String(3_000_000 + p), participantId })], { expectedRevision: 'no_stream' });
    // Appends of one to three events, so a page boundary falls inside an append as well as between them.
    for (let at = 0, revision = -1; at < events.length; ) {
      const batch = events.slice(at, at + upTo(3));
      await store.appendToStream(streamId, batch, { expectedRevision: revision < 0 ? 'no_stream' : revision });
      at += batch.length;
      revision += batch.length;
    }
    if (p % 7 === 3) {
      await store.appendToStream(streamId, [event('PersonalDataErased', 1, { participantId, erasedOn: '2026-01-01' })], { expectedRevision: events.length - 1 });
      await vault.destroy(participantId, '2026-01-01T00:00:00.000Z');
      forgotten.push(participantId);
    } else if (p % 11 === 5) {
      // Forgotten without an erasure event in the log (the key gone, as `ecf forget` leaves it).
      await vault.destroy(participantId, '2026-01-01T00:00:00.000Z');
      forgotten.push(participantId);
    }
  }
  return { forgotten };
}

/** The feed's page as it was before stored text was spliced in: every event parsed, opened, upcast, shaped and stringified. */
async function pageAsBefore(store: EventStore, role: Role, query: FeedQueryDto): Promise<string> {
  const types = query.type && query.type.length > 0 ? new Set(query.type) : null;
  const limit = query.limit ?? 100;
  const head = await store.headPosition();
  const showPersonal = SEES_PERSONAL_DATA.includes(role);
  const events: RecordedEvent[] = [];
  let next = query.after ?? 0;
  let scanned = 0;
  while (events.length < limit && scanned < 10_000 && next < head) {
    const batch = await store.readAll({ after: next, maxCount: types ? 1000 : limit - events.length });
    if (batch.length === 0) break;
    for (const event of batch) {
      next = event.position;
      scanned += 1;
      if (!types || types.has(event.type)) events.push(event);
      if (events.length === limit) break;
    }
  }
  return JSON.stringify({ events: events.map((event) => toFeedEvent(event, showPersonal)), next, head, more: next < head });
}

const principal = (role: Role): Principal => ({ keyId: 'k', name: role, role, schoolUrns: [], deliveryPartnerId: null });

/** The controller's page, with the headers it set. */
async function pageNow(store: EventStore, role: Role, query: FeedQueryDto): Promise<{ body: string; headers: Record<string, string> }> {
  const headers: Record<string, string> = {};
  const response = { setHeader: (name: string, value: string) => (headers[name.toLowerCase()] = value) } as unknown as Response;
  const body = await new EventsController(store, {} as ApiKeyStore).page(principal(role), query, response);
  return { body, headers };
}

/** The same store without readAllJson, as EventStoreDB is: the feed's fallback. */
const withoutJson = (store: EventStore): EventStore => ({
  appendToStream: (...args) => store.appendToStream(...args),
  readStream: (...args) => store.readStream(...args),
  readAll: (...args) => store.readAll(...args),
  headPosition: () => store.headPosition(),
  onAppend: (listener) => store.onAppend(listener),
  close: () => store.close(),
});

const ROLES: Role[] = ['auditor', 'reporting'];
const QUERIES: FeedQueryDto[] = [
  { limit: 1000 },
  { limit: 100 },
  { limit: 7 },
  { limit: 1 },
  { limit: 3, type: ['ECTRegistered'] },
  { limit: 50, type: ['DataValidationFailed', 'ParticipantReinstated', 'WithdrawalReversalRequested'] },
  { limit: 20, type: ['EngagementRecorded', 'MentorRegistered', 'PersonalDataErased', 'TrnClaimed'] },
];

/** Every page of the whole log for each role and query, through the feed now, its fallback and as before. */
async function expectSamePages(store: EventStore): Promise<number> {
  let pages = 0;
  for (const role of ROLES) {
    for (const query of QUERIES) {
      for (let after = 0, more = true; more; pages++) {
        const pageQuery = { ...query, after };
        const before = await pageAsBefore(store, role, pageQuery);
        const now = await pageNow(store, role, pageQuery);
        expect(now.body).toBe(before);
        expect(now.headers['content-type']).toBe('application/json; charset=utf-8');
        expect((await pageNow(withoutJson(store), role, pageQuery)).body).toBe(before);
        ({ next: after, more } = JSON.parse(before) as { next: number; more: boolean });
      }
    }
  }
  return pages;
}

/** The stored text was really used, and never for an event reading changes. */
async function expectStoredTextOnlyWhereNothingChanges(store: EventStore, forgotten: readonly string[]): Promise<void> {
  const asJson = await store.readAllJson!({ maxCount: 100_000 });
  const asRead = await store.readAll({ maxCount: 100_000 });
  expect(asJson.map((event) => event.position)).toEqual(asRead.map((event) => event.position));
  const text = asJson.filter(isStoredJson);
  expect(text.length).toBeGreaterThan(asJson.length / 2);
  for (const event of text) {
    expect(Object.keys(JSON.parse(event.dataJson) as object)).not.toContain('personal');
    expect(event.schemaVersion).toBe(currentSchemaVersion(event.type));
    expect(OLD_METADATA_ROWS).not.toContain(event.position);
  }
  // Erased and forgotten registrations are read as before: personal details null.
  const forgottenRegistrations = asRead.filter((event) => 'personal' in event.data && forgotten.includes(String(event.data.participantId)));
  expect(forgottenRegistrations.length).toBe(forgotten.length);
  for (const event of forgottenRegistrations) expect(event.data.personal).toBeNull();
}

/** Rows rewritten as written before ADR 0012: their metadata JSON holds the schema version too. */
const OLD_METADATA_ROWS = [5, 40];

describe('GET /events pages as stored text, byte for byte the parsed path', () => {
  it('on SQLite', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecf-feed-json-'));
    const vault = PersonalDataVault.sqlite(':memory:');
    const store = productEventStore(await SqliteEventStore.open({ filename: join(dir, 'events.sqlite') }), vault);
    try {
      const { forgotten } = await writeGeneratedLog(store, vault, 1);
      const db = new Database(join(dir, 'events.sqlite'));
      db.prepare(`UPDATE events SET metadata = substr(metadata, 1, length(metadata) - 1) || ',"schemaVersion":' || schema_version || '}' WHERE position IN (${OLD_METADATA_ROWS.join(',')})`).run();
      db.close();

      await expectStoredTextOnlyWhereNothingChanges(store, forgotten);
      expect(await expectSamePages(store)).toBeGreaterThan(100);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('on PostgreSQL', async () => {
    const schema = newTestSchemaName();
    const vault = PersonalDataVault.sqlite(':memory:');
    const store = productEventStore(await openTestStore(schema), vault);
    try {
      const { forgotten } = await writeGeneratedLog(store, vault, 2);
      await queryTestSchema(schema, `UPDATE events SET metadata = left(metadata, -1) || ',"schemaVersion":' || schema_version || '}' WHERE position IN (${OLD_METADATA_ROWS.join(',')})`);

      await expectStoredTextOnlyWhereNothingChanges(store, forgotten);
      expect(await expectSamePages(store)).toBeGreaterThan(100);
    } finally {
      await store.close();
      await dropTestSchema(schema);
    }
  }, 300_000);
});

describe('feedPageJson', () => {
  const stored: StoredJsonEvent = {
    streamId: 'participant-x',
    revision: 0,
    position: 1,
    eventId: '00000000-0000-4000-8000-000000000001',
    type: 'ECTRegistered',
    schemaVersion: 1,
    dataJson: '{"10":1,"participantId":"x","personal":{"firstName":"Ada"}}',
    metadataJson: '{"commandId":"c","correlationId":"c","causationId":"c","actor":{"id":"a","role":"dpl"}}',
    recordedAt: '2026-01-01T00:00:00.000Z',
    hash: 'h',
  };
  const asBefore = (showPersonal: boolean) => JSON.stringify({ events: [toFeedEvent(parseStoredJson(stored), showPersonal)], next: 1, head: 2, more: true });

  it('keeps personal details out for a role without personal data even when a store hands them over as text', () => {
    expect(feedPageJson([stored], false, 1, 2)).toBe(asBefore(false));
    expect(feedPageJson([stored], false, 1, 2)).not.toContain('Ada');
  });

  it('writes the stored text as it is for a role that sees personal data', () => {
    expect(feedPageJson([stored], true, 1, 2)).toBe(asBefore(true));
  });

  it('escapes the envelope’s text as JSON.stringify does', () => {
    for (const streamId of ['quote " here', 'back\\slash', 'nul \u0000 tab \t', 'line \u2028 sep', 'pair 😀', 'lone \ud800', 'é']) {
      const event = { ...stored, streamId, type: streamId, eventId: streamId, recordedAt: streamId };
      expect(feedPageJson([event], true, 1, 2)).toBe(JSON.stringify({ events: [toFeedEvent(parseStoredJson(event), true)], next: 1, head: 2, more: true }));
    }
  });
});
