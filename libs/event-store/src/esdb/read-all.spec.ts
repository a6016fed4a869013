import { ids, newEvents } from '../conformance/fixtures';
import { RecordedEvent } from '../event-store.port';
import { appendWithHashChain } from './append';
import { readHeadPosition } from './head-position';
import { readAllAfter } from './read-all';
import { InMemoryEsdbClient } from './testing/in-memory-esdb-client';

describe('$all reads (on a model of the client)', () => {
  let server: InMemoryEsdbClient;
  const append = (streamId: string, count: number) => appendWithHashChain(server.asClient(), streamId, newEvents(count), 'any', () => new Date().toISOString());
  /** What the system projections write after each of our events. */
  const writeLinks = (count: number): void => {
    for (let index = 0; index < count; index++) server.write('$ce-participant', '$>');
  };

  beforeEach(() => {
    server = new InMemoryEsdbClient();
  });

  it('an empty log has head 0 and nothing to read, even when the server wrote its own events', async () => {
    server.write('$settings', 'settings');

    await expect(readHeadPosition(server.asClient())).resolves.toBe(0);
    await expect(readAllAfter(server.asClient(), {})).resolves.toEqual([]);
  });

  it('skips system events and pages by position, strictly after it, maxCount at a time', async () => {
    await append('participant-1', 2);
    writeLinks(3);
    await append('participant-2', 1);
    writeLinks(3);
    await append('participant-1', 2);
    const ours = (await readAllAfter(server.asClient(), {})).map((event) => event.streamId);

    const pages: RecordedEvent[][] = [];
    for (let after = 0; ; ) {
      const page = await readAllAfter(server.asClient(), { after, maxCount: 2 });
      if (page.length === 0) break;
      pages.push(page);
      after = page[page.length - 1].position;
    }

    expect(ours).toEqual(['participant-1', 'participant-1', 'participant-2', 'participant-1', 'participant-1']);
    expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
    expect(ids(pages.flat())).toEqual(ids(await readAllAfter(server.asClient(), {})));
    await expect(readAllAfter(server.asClient(), { maxCount: 0 })).resolves.toEqual([]);
  });

  it('reads past a run of system events longer than the page it asked for', async () => {
    await append('participant-1', 1);
    writeLinks(250);
    const last = await append('participant-2', 1);

    const [first] = await readAllAfter(server.asClient(), { maxCount: 1 });
    const next = await readAllAfter(server.asClient(), { after: first.position, maxCount: 1 });

    expect(next.map((event) => event.position)).toEqual([last.position]);
  });

  it('the head is our last event, past any system events written after it', async () => {
    const last = await append('participant-1', 3);
    writeLinks(250);

    await expect(readHeadPosition(server.asClient())).resolves.toBe(last.position);
  });

  it('refuses a negative position or count', async () => {
    await expect(readAllAfter(server.asClient(), { after: -1 })).rejects.toThrow(RangeError);
    await expect(readAllAfter(server.asClient(), { maxCount: -1 })).rejects.toThrow(RangeError);
  });
});
