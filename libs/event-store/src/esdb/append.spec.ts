import { ids, newEvent, newEvents } from '../conformance/fixtures';
import { WrongExpectedRevisionError } from '../errors';
import { ExpectedRevision, NewEvent } from '../event-store.port';
import { verifyStreamChain } from '../hash-chain';
import { appendWithHashChain } from './append';
import { readStreamEvents } from './read-stream';
import { InMemoryEsdbClient } from './testing/in-memory-esdb-client';

describe('appendWithHashChain (on a model of the client)', () => {
  let server: InMemoryEsdbClient;
  const now = (): string => '2025-09-01T09:00:00.000Z';
  const append = (streamId: string, events: NewEvent[], expected: ExpectedRevision) => appendWithHashChain(server.asClient(), streamId, events, expected, now);
  const read = (streamId: string) => readStreamEvents(server.asClient(), streamId, {});

  beforeEach(() => {
    server = new InMemoryEsdbClient();
  });

  it("returns the last event's revision and its $all position, read back from the server", async () => {
    server.write('other-stream', 'Elsewhere');

    const result = await append('participant-1', newEvents(3), 'no_stream');

    const stored = await read('participant-1');
    expect(result).toEqual({ nextExpectedRevision: 2, position: stored[2].position });
    expect(verifyStreamChain(stored)).toEqual({ valid: true });
  });

  it('continues the hash chain across appends', async () => {
    await append('participant-2', newEvents(2), 'no_stream');
    await append('participant-2', newEvents(2), 1);

    expect(verifyStreamChain(await read('participant-2'))).toEqual({ valid: true });
  });

  it("checks the caller's expectation against the head it read, without sending anything", async () => {
    await append('participant-3', newEvents(2), 'no_stream');
    const calls = server.appendCalls;

    await expect(append('participant-3', newEvents(1), 0)).rejects.toMatchObject({ streamId: 'participant-3', expected: 0, actual: 1 });
    await expect(append('participant-4', newEvents(1), 'stream_exists')).rejects.toMatchObject({ expected: 'stream_exists', actual: 'no_stream' });
    expect(server.appendCalls).toBe(calls);
  });

  it('an exact expectation that loses a race is a conflict with the revision the server found', async () => {
    await append('participant-5', newEvents(1), 'no_stream');
    server.beforeAppend = () => append('participant-5', newEvents(1), 'any');

    const error = await append('participant-5', newEvents(1), 0).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(WrongExpectedRevisionError);
    expect(error).toMatchObject({ expected: 0, actual: 1 });
  });

  it('a conflict answered with success false (throwOnAppendFailure=false) is a conflict too, never a silent success', async () => {
    server.throwOnAppendFailure = false;
    await append('participant-12', newEvents(1), 'no_stream');
    server.beforeAppend = () => append('participant-12', newEvents(1), 'any');

    await expect(append('participant-12', newEvents(1), 0)).rejects.toMatchObject({ expected: 0, actual: 1 });
    expect(await read('participant-12')).toHaveLength(2);
  });

  it('when the events that won the race are this very batch (a concurrent retry), returns their result', async () => {
    await append('participant-13', newEvents(1), 'no_stream');
    const batch = newEvents(2);
    let winner: Promise<unknown> = Promise.resolve();
    server.beforeAppend = () => (winner = append('participant-13', batch, 0));

    const result = await append('participant-13', batch, 0);

    expect(result).toEqual({ ...((await winner) as object), alreadyStored: true });
    expect(await read('participant-13')).toHaveLength(3);
  });

  it("'any' that loses a race on the pinned head reads again and chains onto the event that slipped in", async () => {
    await append('participant-6', newEvents(1), 'no_stream');
    server.beforeAppend = () => append('participant-6', newEvents(1), 'any');

    const result = await append('participant-6', newEvents(1), 'any');

    expect(result.nextExpectedRevision).toBe(2);
    expect(server.appendCalls).toBe(4);
    expect(verifyStreamChain(await read('participant-6'))).toEqual({ valid: true });
  });

  it('a retry of a committed batch returns the original result and sends nothing', async () => {
    const batch = newEvents(2);
    const first = await append('participant-7', batch, 'no_stream');
    await append('participant-7', newEvents(1), 1);
    const calls = server.appendCalls;

    await expect(append('participant-7', batch, 'no_stream')).resolves.toEqual({ ...first, alreadyStored: true });
    await expect(append('participant-7', batch, 'any')).resolves.toEqual({ ...first, alreadyStored: true });
    expect(server.appendCalls).toBe(calls);
    expect(await read('participant-7')).toHaveLength(3);
  });

  it('a partial overlap with stored ids is a conflict and writes nothing', async () => {
    const batch = newEvents(2);
    await append('participant-8', batch, 'no_stream');

    await expect(append('participant-8', [batch[1], newEvent()], 1)).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    expect(await read('participant-8')).toHaveLength(2);
  });

  it('an empty batch writes nothing and reports the stream head, or the log head for a missing stream', async () => {
    const written = await append('participant-9', newEvents(2), 'no_stream');
    server.write('$stats-127.0.0.1:2113', '$statsCollected');

    await expect(append('participant-9', [], 1)).resolves.toEqual(written);
    await expect(append('participant-10', [], 'no_stream')).resolves.toEqual({ nextExpectedRevision: -1, position: written.position });
    expect(ids(await read('participant-9'))).toHaveLength(2);
  });

  it('a batch with data that has no JSON form fails before anything is sent', async () => {
    await expect(append('participant-11', [newEvent(), newEvent('Broken', { amount: BigInt(1) })], 'no_stream')).rejects.toThrow(TypeError);
    expect(server.appendCalls).toBe(0);
  });
});
