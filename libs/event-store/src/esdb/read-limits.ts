/** Counts and revisions in read options, checked before they reach the server. */
export function requireNonNegativeInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  return value;
}

/** Reads of an instant on the recorded axis compare as time, whatever offset the instant was written with. */
export function toEpochMillis(instant: string): number {
  const time = Date.parse(instant);
  if (Number.isNaN(time)) throw new RangeError(`Not an ISO instant: ${instant}`);
  return time;
}
