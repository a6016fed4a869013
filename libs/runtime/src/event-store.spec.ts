import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { participantDecider, ParticipantEvent, participantStreamId } from '@ecf/domain';
import { ECT_ID, ectRegistered } from '@ecf/domain/testing';
import { loadEventSchemas } from '@ecf/event-schemas';
import { SqliteEventStore, toDomainEvent, verifyLog } from '@ecf/event-store';
import { productEventStore } from './event-store';
import { PersonalDataVault } from './personal-data/personal-data-vault';

/** An event stored at v1 before DataValidationFailed evolved, in a real SQLite file. */
describe('Reading old events through the upcasters (real SQLite store)', () => {
  let dir: string;
  let file: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ecf-upcast-'));
    file = join(dir, 'events.sqlite');
    const raw = await SqliteEventStore.open({ filename: file });
    const metadata = (schemaVersion: number) => ({ commandId: 'c0', correlationId: 'c0', causationId: 'c0', actor: { id: 'test', role: 'system' }, schemaVersion });
    await raw.appendToStream(
      participantStreamId(ECT_ID),
      [
        { eventId: '11111111-1111-4111-8111-111111111111', type: 'ECTRegistered', data: ectRegistered().data as unknown as Record<string, unknown>, metadata: metadata(1) },
        { eventId: '22222222-2222-4222-8222-222222222222', type: 'DataValidationFailed', data: { participantId: ECT_ID, reasons: ['TRN not found'] }, metadata: metadata(1) },
      ],
      { expectedRevision: 'no_stream' },
    );
    await raw.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the apps’ store reads the v1 event at v2, and it replays to the state a v2 event gives', async () => {
    const store = productEventStore(await SqliteEventStore.open({ filename: file }), PersonalDataVault.sqlite(join(dir, 'personal-data-keys.sqlite')));
    try {
      const events = await store.readStream(participantStreamId(ECT_ID));
      expect(events[1]).toMatchObject({ metadata: { schemaVersion: 2 }, data: { reasons: [{ code: 'trn-not-found', text: 'TRN not found' }] } });
      const state = events.reduce((current, event) => participantDecider.evolve(current, toDomainEvent<ParticipantEvent>(event)), participantDecider.initialState());
      expect(state.validation).toEqual({ outcome: 'failed', reasons: ['TRN not found'], reasonCodes: ['trn-not-found'] });
      expect((await store.readAll()).map((event) => event.metadata.schemaVersion)).toEqual([1, 2]);
    } finally {
      await store.close();
    }
  });

  it('the stored bytes are untouched: verify checks the v1 event against the v1 schema and its hash', async () => {
    const raw = await SqliteEventStore.open({ filename: file });
    const schemas = loadEventSchemas();
    try {
      const result = await verifyLog(raw, {
        validate: (type, version, data) => {
          const outcome = schemas.validate(type, version, data);
          return outcome.valid ? [] : outcome.errors;
        },
      });
      expect(result.findings).toEqual([]);
      expect(result.eventsChecked).toBe(2);
    } finally {
      await raw.close();
    }
  });
});
