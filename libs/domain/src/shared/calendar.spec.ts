import { addDays, daysBetween, isAfter, toLocalDate } from './calendar';

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
