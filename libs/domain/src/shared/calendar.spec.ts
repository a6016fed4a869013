import { Instant, ZonedDateTime, ZoneId } from '@js-joda/core';
import { addDays, daysBetween, isAfter, londonDateOf, toLocalDate } from './calendar';

describe('calendar dates', () => {
  it('parse to the same day however often the same text is read', () => {
    const first = toLocalDate('2026-02-28');
    const again = toLocalDate('2026-02-28');

    expect(again.equals(first)).toBe(true);
    expect(again.toString()).toBe('2026-02-28');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(daysBetween('2026-02-28', '2026-03-01')).toBe(1);
  });

  it('arithmetic on a parsed date leaves the date read next time unchanged', () => {
    toLocalDate('2026-10-14').plusDays(30);

    expect(toLocalDate('2026-10-14').toString()).toBe('2026-10-14');
    expect(isAfter('2026-10-15', '2026-10-14')).toBe(true);
  });

  it('refuse an impossible date every time it is read, not only the first', () => {
    expect(() => toLocalDate('2026-02-30')).toThrow();
    expect(() => toLocalDate('2026-02-30')).toThrow();
  });
});

describe('London dates of instants', () => {
  const uncached = (instant: string) => ZonedDateTime.ofInstant(Instant.parse(instant), ZoneId.of('Europe/London')).toLocalDate().toString();

  it('agree with the zone rules for every quarter hour of the weeks of six years’ clock changes, asked in any order', () => {
    const instants: string[] = [];
    // The last week of March and of October holds each year's two clock changes (01:00 UTC on a Sunday).
    for (let year = 2024; year <= 2029; year++) {
      for (const month of ['03', '10']) {
        const start = Date.parse(`${year}-${month}-24T00:00:00Z`);
        for (let minutes = 0; minutes < 8 * 24 * 60; minutes += 15) instants.push(new Date(start + minutes * 60_000).toISOString());
      }
    }
    // Seconds and fractions within an hour already asked for, and the reverse order, must answer the same.
    const shuffled = [...instants].reverse().map((instant, index) => (index % 3 === 0 ? instant.replace(':00.000Z', ':59.999999999Z') : instant));
    for (const instant of [...instants, ...shuffled]) expect([instant, londonDateOf(instant)]).toEqual([instant, uncached(instant)]);
  });

  it('of an instant written with an offset are the same day as the instant in UTC', () => {
    expect(londonDateOf('2026-03-29T00:30:00Z')).toBe('2026-03-29');
    expect(londonDateOf('2026-03-29T01:30:00+01:00')).toBe('2026-03-29');
    expect(londonDateOf('2026-10-24T23:30:00Z')).toBe('2026-10-25');
    expect(londonDateOf('2026-10-25T23:30:00Z')).toBe('2026-10-25');
  });

  it('still refuse a text that is not an instant after a valid instant of the same hour was asked for', () => {
    expect(londonDateOf('2026-10-01T09:00:00Z')).toBe('2026-10-01');
    for (const bad of ['2026-10-01T09:00:60Z', '2026-10-01T09:00Z', '2026-10-01T09:00:00.1234567891Z', '2026-02-30T09:00:00Z', '2026-10-01T25:00:00Z']) {
      expect(() => londonDateOf(bad)).toThrow();
      expect(() => londonDateOf(bad)).toThrow();
    }
  });
});
