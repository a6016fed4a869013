/** An optional maxCount as a LIMIT value; PostgreSQL reads LIMIT NULL as "no limit". */
export function toLimit(maxCount: number | undefined, fallback: number | null): number | null {
  if (maxCount === undefined) return fallback;
  if (!Number.isInteger(maxCount) || maxCount < 0) throw new RangeError(`maxCount must be a non-negative integer, got ${maxCount}`);
  return maxCount;
}
