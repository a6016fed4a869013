/** Turns an optional maxCount into a safe LIMIT value (the fallback when it is absent). */
export function toLimit(maxCount: number | undefined, fallback: number): number {
  if (maxCount === undefined) return fallback;
  if (!Number.isInteger(maxCount) || maxCount < 0) throw new RangeError(`maxCount must be a non-negative integer, got ${maxCount}`);
  return maxCount;
}

/** Stored instants are `toISOString()` strings, which only compare correctly as text against the same format. */
export function toIsoInstant(value: string): string {
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new RangeError(`Not an ISO instant: ${value}`);
  return new Date(time).toISOString();
}
