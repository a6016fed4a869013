import { releaseStateOn } from './release-state';

describe('Release state on a date (the stored row read against the injected clock)', () => {
  describe('Rule: an item is released once its release date has come, and scheduled before', () => {
    const onPlan = { dueDate: '2025-10-13', releaseDate: '2025-10-13', reason: 'as-planned' as const };
    it('is scheduled the day before', () => expect(releaseStateOn(onPlan, '2025-10-12')).toBe('scheduled'));
    it('is released on the day', () => expect(releaseStateOn(onPlan, '2025-10-13')).toBe('released'));
    it('is released on a date moved by a deferral', () => expect(releaseStateOn({ ...onPlan, reason: 'moved-by-deferral' }, '2026-01-01')).toBe('released'));
  });

  describe('Rule: an item planned inside a pause reads released-at-resume from the resume date', () => {
    const atResume = { dueDate: '2025-10-13', releaseDate: '2025-11-12', reason: 'released-at-resume' as const };
    it('is scheduled until the resume date', () => expect(releaseStateOn(atResume, '2025-11-11')).toBe('scheduled'));
    it('is released-at-resume from it', () => expect(releaseStateOn(atResume, '2025-11-12')).toBe('released-at-resume'));
    it('reads released when released on a return or a reinstatement', () =>
      expect(releaseStateOn({ ...atResume, reason: 'released-at-reinstatement' }, '2025-12-01')).toBe('released'));
  });

  describe('Rule: held content reads held; content an open pause would hold is scheduled until its due date', () => {
    it('is held by an open pause once its due date has passed', () =>
      expect(releaseStateOn({ dueDate: '2025-10-13', releaseDate: null, reason: 'held-by-pause' }, '2025-10-20')).toBe('held'));
    it('is scheduled while its due date is still ahead of an open pause', () =>
      expect(releaseStateOn({ dueDate: '2025-11-10', releaseDate: null, reason: 'held-by-pause' }, '2025-10-20')).toBe('scheduled'));
    it('is scheduled while a due date a deferral moved on is still ahead, though its original planned date has passed', () =>
      expect(releaseStateOn({ dueDate: '2026-02-27', releaseDate: null, reason: 'held-by-pause' }, '2026-02-25')).toBe('scheduled'));
    it('is held by an open deferral from the deferral date, even when due later', () =>
      expect(releaseStateOn({ dueDate: '2026-01-05', releaseDate: null, reason: 'held-by-deferral' }, '2025-12-01')).toBe('held'));
  });

  it('Rule: content after a withdrawal reads not-released-withdrawn', () =>
    expect(releaseStateOn({ dueDate: '2025-12-01', releaseDate: null, reason: 'not-released-withdrawn' }, '2025-11-20')).toBe('not-released-withdrawn'));
});
