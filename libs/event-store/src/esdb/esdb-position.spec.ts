import { START } from '@eventstore/db-client';
import { positionOf, toEsdbPosition, toPosition, toReadPosition } from './esdb-position';

describe('EventStoreDB positions', () => {
  it('a commit position becomes a number, exactly, up to 2^53 - 1', () => {
    expect(toPosition(0n)).toBe(0);
    expect(toPosition(123_456_789n)).toBe(123_456_789);
    expect(toPosition(BigInt(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('refuses a commit position a number cannot hold exactly, rather than rounding it', () => {
    expect(() => toPosition(BigInt(Number.MAX_SAFE_INTEGER) + 1n)).toThrow(RangeError);
    expect(() => toPosition(-1n)).toThrow(RangeError);
  });

  it('our position addresses the log with equal commit and prepare positions', () => {
    expect(toEsdbPosition(4_096)).toEqual({ commit: 4_096n, prepare: 4_096n });
  });

  it('reading after 0 starts at the beginning of $all; after a position, at that position', () => {
    expect(toReadPosition(0)).toBe(START);
    expect(toReadPosition(2_113)).toEqual({ commit: 2_113n, prepare: 2_113n });
  });

  it("takes the event's own commit position, or the read's when the event has none", () => {
    const event = { streamId: 's', id: 'id', revision: 0n, type: 'T', isJson: true as const, created: new Date(), data: {}, metadata: undefined };

    expect(positionOf({ event: { ...event, position: { commit: 900n, prepare: 900n } }, commitPosition: 900n })).toBe(900);
    expect(positionOf({ event, commitPosition: 700n })).toBe(700);
  });

  it('names the server version it needs when a stream read carries no position', () => {
    const event = { streamId: 's', id: 'e-1', revision: 0n, type: 'T', isJson: true as const, created: new Date(), data: {}, metadata: undefined };

    expect(() => positionOf({ event })).toThrow(/e-1.*22\.6/);
  });
});
