import type { RecordedEvent } from '@ecf/event-store';
import { FillTransaction, TimeSlices } from './time-slices';

const events = (...streams: [string, number][]): RecordedEvent[] => {
  let position = 0;
  return streams.flatMap(([streamId, count]) => Array.from({ length: count }, (_, revision) => ({ streamId, revision, position: ++position }) as RecordedEvent));
};

/** A clock that moves only when a slice is applied: `msPerEvent` for each of its events. */
const fakeClock = (msPerEvent: number) => {
  let now = 0;
  return { now: () => now, spend: (slice: readonly RecordedEvent[]) => void (now += slice.length * msPerEvent) };
};

/** Applies `batch` and answers the transactions as lists of slice sizes. */
async function transactionsOf(slices: TimeSlices, batch: readonly RecordedEvent[], spend: (slice: RecordedEvent[]) => void, stopped?: () => boolean): Promise<number[][]> {
  const transactions: number[][] = [];
  await slices.apply(
    batch,
    async (fill: FillTransaction) => {
      const sizes: number[] = [];
      const applied = await fill(async (slice) => {
        sizes.push(slice.length);
        spend(slice);
      });
      expect(applied.length).toBe(sizes.reduce((sum, size) => sum + size, 0));
      transactions.push(sizes);
    },
    stopped,
  );
  return transactions;
}

describe('TimeSlices', () => {
  it('sizes each slice from the time per event measured so far, so that a slice takes about sliceMs', async () => {
    const clock = fakeClock(2);
    const slices = new TimeSlices({ sliceMs: 10, transactionMs: 1_000, firstSlice: 20, now: clock.now });
    const transactions = await transactionsOf(slices, events(['s', 50]), clock.spend);
    // The first slice is a guess (20 events, 40 ms); from then on 10 ms / 2 ms per event = 5 events.
    expect(transactions).toEqual([[20, 5, 5, 5, 5, 5, 5]]);
  });

  it('ends a transaction after the slice that reached transactionMs, and goes on in the next one', async () => {
    const clock = fakeClock(1);
    const slices = new TimeSlices({ sliceMs: 10, transactionMs: 30, firstSlice: 20, now: clock.now });
    const transactions = await transactionsOf(slices, events(['s', 100]), clock.spend);
    expect(transactions).toEqual([[20, 10], [10, 10, 10], [10, 10, 10], [10]]);
  });

  it('gives the event loop a turn before every slice, inside a transaction and between them', async () => {
    const clock = fakeClock(1);
    const slices = new TimeSlices({ sliceMs: 5, transactionMs: 10, firstSlice: 5, now: clock.now });
    let turns = 0;
    const turnsBeforeSlice: number[] = [];
    await transactionsOf(slices, events(['s', 40]), (slice) => {
      turnsBeforeSlice.push(turns);
      clock.spend(slice);
      // Runs only if the event loop gets a turn before the next slice.
      setImmediate(() => (turns += 1));
    });
    expect(turnsBeforeSlice).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('ends a slice between two streams where it can, inside a stream only when the stream is longer than a slice', async () => {
    const clock = fakeClock(1);
    const slices = new TimeSlices({ sliceMs: 5, transactionMs: 1_000, firstSlice: 5, now: clock.now, together: (a, b) => a.streamId === b.streamId });
    const batch = events(['a', 3], ['b', 3], ['c', 12], ['d', 1]);
    const applied: string[][] = [];
    await slices.apply(batch, async (fill) => {
      await fill(async (slice) => {
        applied.push(slice.map((event) => `${event.streamId}${event.revision}`));
        clock.spend(slice);
      });
    });
    expect(applied).toEqual([
      ['a0', 'a1', 'a2'],
      ['b0', 'b1', 'b2'],
      ['c0', 'c1', 'c2', 'c3', 'c4'],
      ['c5', 'c6', 'c7', 'c8', 'c9'],
      ['c10', 'c11', 'd0'],
    ]);
  });

  it('stops at a transaction boundary once asked to, never inside a transaction', async () => {
    const clock = fakeClock(1);
    const slices = new TimeSlices({ sliceMs: 10, transactionMs: 20, firstSlice: 10, now: clock.now });
    let stop = false;
    const transactions = await transactionsOf(slices, events(['s', 100]), (slice) => {
      clock.spend(slice);
      stop = true;
    }, () => stop);
    expect(transactions).toEqual([[10, 10]]);
  });
});
