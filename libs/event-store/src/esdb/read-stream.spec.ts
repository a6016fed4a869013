import { ids, newEvents } from '../conformance/fixtures';
import { appendWithHashChain } from './append';
import { readStreamEvents } from './read-stream';
import { InMemoryEsdbClient } from './testing/in-memory-esdb-client';

describe('readStreamEvents (on a model of the client)', () => {
  const server = new InMemoryEsdbClient();
  const client = server.asClient();
  const instants = ['2025-09-01T09:00:00.000Z', '2025-09-01T10:00:00.000Z', '2025-09-01T11:00:00.000Z'];
  const history = [newEvents(2), newEvents(2), newEvents(2)];

  beforeAll(async () => {
    for (const [index, batch] of history.entries()) {
      await appendWithHashChain(client, 'participant-1', batch, index === 0 ? 'no_stream' : index * 2 - 1, () => instants[index]);
    }
  });

  it('a stream that does not exist reads as empty', async () => {
    await expect(readStreamEvents(client, 'participant-missing', {})).resolves.toEqual([]);
  });

  it('reads from a revision and at most maxCount events', async () => {
    const all = history.flat();

    expect(ids(await readStreamEvents(client, 'participant-1', { fromRevision: 2, maxCount: 3 }))).toEqual(ids(all.slice(2, 5)));
    await expect(readStreamEvents(client, 'participant-1', { maxCount: 0 })).resolves.toEqual([]);
  });

  it('recordedAtOrBefore compares instants as time, whatever their offset, and counts after filtering', async () => {
    const asOf = await readStreamEvents(client, 'participant-1', { recordedAtOrBefore: '2025-09-01T11:00:00+01:00' });
    const firstOfThem = await readStreamEvents(client, 'participant-1', { recordedAtOrBefore: '2025-09-01T10:30:00Z', fromRevision: 1, maxCount: 2 });

    expect(ids(asOf)).toEqual(ids([...history[0], ...history[1]]));
    expect(ids(firstOfThem)).toEqual(ids([history[0][1], history[1][0]]));
  });

  it('refuses options it cannot honour', async () => {
    await expect(readStreamEvents(client, 'participant-1', { fromRevision: -1 })).rejects.toThrow(RangeError);
    await expect(readStreamEvents(client, 'participant-1', { maxCount: 1.5 })).rejects.toThrow(RangeError);
    await expect(readStreamEvents(client, 'participant-1', { recordedAtOrBefore: 'yesterday' })).rejects.toThrow(RangeError);
  });
});
