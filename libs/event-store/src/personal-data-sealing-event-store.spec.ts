import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NewEvent, RecordedEvent } from './event-store.port';
import { PersonalDataItem, PersonalDataSeal, PersonalDataSealingEventStore } from './personal-data-sealing-event-store';
import { isStoredJson } from './stored-json';
import { SqliteEventStore } from './sqlite/sqlite-event-store';

/** A reversible stand-in for the vault that counts its calls: what matters here is how often the keys are asked for. */
class CountingSeal implements PersonalDataSeal {
  readonly calls: { kind: 'seal' | 'open'; subjects: string[] }[] = [];
  readonly erased = new Set<string>();

  async seal(items: readonly PersonalDataItem[]): Promise<Record<string, unknown>[]> {
    this.calls.push({ kind: 'seal', subjects: items.map((item) => item.subjectId) });
    return items.map(({ subjectId, value }) => ({ sealed: { alg: 'test', for: subjectId, clear: Buffer.from(JSON.stringify(value)).toString('base64') } }));
  }

  async open(items: readonly PersonalDataItem[]): Promise<(Record<string, unknown> | null)[]> {
    this.calls.push({ kind: 'open', subjects: items.map((item) => item.subjectId) });
    return items.map(({ subjectId, value }) =>
      this.erased.has(subjectId) ? null : (JSON.parse(Buffer.from((value.sealed as { clear: string }).clear, 'base64').toString()) as Record<string, unknown>),
    );
  }
}

const registration = (participantId: string, name: string): NewEvent => ({
  eventId: `00000000-0000-4000-8000-${participantId.slice(-12)}`,
  type: 'ECTRegistered',
  data: { participantId, personal: { firstName: name } },
  metadata: { commandId: 'c', correlationId: 'c', causationId: 'c', actor: { id: 'test', role: 'system' }, schemaVersion: 1 },
});
const other = (participantId: string, n: number): NewEvent => ({
  eventId: `00000000-0000-4000-9000-${String(n).padStart(12, '0')}`,
  type: 'EngagementRecorded',
  data: { participantId },
  metadata: { commandId: 'c', correlationId: 'c', causationId: 'c', actor: { id: 'test', role: 'system' }, schemaVersion: 1 },
});

describe('PersonalDataSealingEventStore: the keys are asked for once per batch of events', () => {
  let dir: string;
  let seal: CountingSeal;
  let store: PersonalDataSealingEventStore;
  const ids = Array.from({ length: 5 }, (_, i) => `0b6f3c0e-1a2b-4c3d-8e4f-00000000000${i}`);

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ecf-sealing-'));
    seal = new CountingSeal();
    store = new PersonalDataSealingEventStore(await SqliteEventStore.open({ filename: join(dir, 'events.sqlite') }), seal);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('an append seals all its personal details in one call, and stores none in clear', async () => {
    await store.appendToStream('participant-x', [registration(ids[0], 'Ada'), other(ids[0], 1), registration(ids[1], 'Bo')], { expectedRevision: 'no_stream' });
    expect(seal.calls).toEqual([{ kind: 'seal', subjects: [ids[0], ids[1]] }]);
    const raw = await SqliteEventStore.open({ filename: join(dir, 'events.sqlite') });
    try {
      expect(JSON.stringify(await raw.readAll())).not.toContain('Ada');
    } finally {
      await raw.close();
    }
  });

  it('an append without personal details asks for no key, and a read without sealed details opens nothing', async () => {
    await store.appendToStream('participant-y', [other(ids[0], 2), other(ids[0], 3)], { expectedRevision: 'no_stream' });
    await store.readStream('participant-y');
    expect(seal.calls).toEqual([]);
  });

  it('a page of $all opens every participant it holds in one call, in order, null for the erased', async () => {
    for (const [index, id] of ids.entries()) await store.appendToStream(`participant-${index}`, [registration(id, `P${index}`), other(id, 10 + index)], { expectedRevision: 'no_stream' });
    seal.calls.length = 0;
    seal.erased.add(ids[2]);
    const events = await store.readAll();
    expect(seal.calls).toEqual([{ kind: 'open', subjects: ids }]);
    expect(events.filter((event) => event.type === 'ECTRegistered').map((event) => event.data.personal)).toEqual([
      { firstName: 'P0' },
      { firstName: 'P1' },
      null,
      { firstName: 'P3' },
      { firstName: 'P4' },
    ]);
    expect(events.filter((event) => event.type === 'EngagementRecorded').every((event) => !('personal' in event.data))).toBe(true);
  });
});

describe('PersonalDataSealingEventStore: the upcast option, the read path’s last step', () => {
  let dir: string;
  let adapter: SqliteEventStore;
  let store: PersonalDataSealingEventStore;
  const participantId = '0b6f3c0e-1a2b-4c3d-8e4f-000000000009';
  /** A v1 → v2 upcaster that reads the opened personal details, as a real one reshaping them would. */
  const upcast = (event: RecordedEvent): RecordedEvent =>
    event.metadata.schemaVersion === 2 ? event : { ...event, data: { ...event.data, initial: String((event.data.personal as { firstName?: string } | null)?.firstName ?? '?')[0] }, metadata: { ...event.metadata, schemaVersion: 2 } };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ecf-sealing-upcast-'));
    adapter = await SqliteEventStore.open({ filename: join(dir, 'events.sqlite') });
    store = new PersonalDataSealingEventStore(adapter, new CountingSeal(), { upcast });
    await store.appendToStream('participant-u', [registration(participantId, 'Ada'), other(participantId, 1)], { expectedRevision: 'no_stream' });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('every read (a stream, $all, stream by stream) sees each event upcast, after its personal details are opened', async () => {
    const reads = [await store.readStream('participant-u'), await store.readAll(), (await store.readByStream?.({ streamPrefix: 'participant-', upTo: 100, maxCount: 10 })) ?? []];
    for (const events of reads) {
      expect(events.map((event) => [event.metadata.schemaVersion, event.data.initial])).toEqual([
        [2, 'A'],
        [2, '?'],
      ]);
    }
  });

  it('readAllJson is offered only when the upcaster says which events it changes, and gives those as read', async () => {
    expect(store.readAllJson).toBeUndefined();
    const knowing = new PersonalDataSealingEventStore(adapter, new CountingSeal(), { upcast, needsUpcast: (_type, version) => version < 2 });
    await knowing.appendToStream('participant-v', [{ ...other(participantId, 2), metadata: { ...other(participantId, 2).metadata, schemaVersion: 2 } }], { expectedRevision: 'no_stream' });

    const events = (await knowing.readAllJson?.()) ?? [];

    expect(events.map((event) => (isStoredJson(event) ? ['text', event.schemaVersion] : ['read', event.metadata.schemaVersion, event.data.initial]))).toEqual([
      ['read', 2, 'A'],
      ['read', 2, '?'],
      ['text', 2],
    ]);
  });

  it('the stored events stay as appended: version 1, sealed, not upcast', async () => {
    const stored = await adapter.readStream('participant-u');
    expect(stored.map((event) => event.metadata.schemaVersion)).toEqual([1, 1]);
    expect(stored.some((event) => 'initial' in event.data)).toBe(false);
    expect(JSON.stringify(stored)).not.toContain('Ada');
  });
});
