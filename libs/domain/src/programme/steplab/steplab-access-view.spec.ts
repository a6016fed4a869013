import { ECT_ID, ectRegistered, NOW, steplabAccessFormSubmitted, steplabAccessGranted } from '../../testing/fixtures';
import { activeECT, participantWithdrawn } from '../../testing/lifecycle-fixtures';
import { participantReinstated, steplabAccessRevoked, timelineOf } from '../../testing/programme-fixtures';
import { steplabAccessView } from './steplab-access-view';

type Given = Parameters<typeof timelineOf>[0];

const DUE = '2025-10-02T09:00:00Z';
const submitted = [...activeECT, steplabAccessFormSubmitted()];
const grantedOnTime = steplabAccessGranted(ECT_ID, '2025-10-01T15:00:00.000Z');
const grantedLate = steplabAccessGranted(ECT_ID, '2025-10-02T09:00:00.001Z');
/** Given these events, when the view is read at `now`. */
const viewAt = (events: Given, now: string) => steplabAccessView(timelineOf(events), now);

describe('Steplab access (SPEC §4, seed 000 step 4)', () => {
  describe('Rule: the form opens after DfE validation', () => {
    it('awaits validation once registered', () => expect(viewAt([ectRegistered()], NOW).state).toBe('awaiting-validation'));
    it('is not requested once validated and before the form', () => expect(viewAt(activeECT, NOW)).toMatchObject({ state: 'not-requested', breached: false, accessDueBy: null }));
  });

  describe('Rule: access is due within 24 hours of the form; a grant after the deadline, or none by then, breaches it', () => {
    it('is form-submitted and not breached up to the deadline', () =>
      expect(viewAt(submitted, DUE)).toEqual({ state: 'form-submitted', formSubmittedAt: NOW, accessDueBy: DUE, grantedAt: null, breached: false, revokedOn: null, reinstatedOn: null }));
    it('is breached once the deadline has passed without access', () => expect(viewAt(submitted, '2025-10-02T09:00:01Z')).toMatchObject({ state: 'form-submitted', breached: true }));
    it('is active and not breached when granted in time', () =>
      expect(viewAt([...submitted, grantedOnTime], '2025-12-01T09:00:00Z')).toMatchObject({ state: 'active', grantedAt: '2025-10-01T15:00:00.000Z', breached: false }));
    it('stays breached when granted after the deadline', () => expect(viewAt([...submitted, grantedLate], '2025-12-01T09:00:00Z')).toMatchObject({ state: 'active', breached: true }));
  });

  describe('Rule: a withdrawal revokes access; a reinstatement leaves it pending until the back office restores it', () => {
    const withdrawn = [...submitted, grantedOnTime, participantWithdrawn({ withdrawalDate: '2025-11-15' }), steplabAccessRevoked('2025-11-15')];
    const reinstated = [...withdrawn, participantReinstated('2025-11-15', '2025-12-01')];

    it('is revoked from the withdrawal', () => expect(viewAt(withdrawn, '2025-11-20T09:00:00Z')).toMatchObject({ state: 'revoked', revokedOn: '2025-11-15' }));
    it('is reinstatement-pending after the reinstatement', () =>
      expect(viewAt(reinstated, '2025-12-02T09:00:00Z')).toMatchObject({ state: 'reinstatement-pending', reinstatedOn: '2025-12-01', breached: false }));
    it('is active again once access is restored, with no new form', () =>
      expect(viewAt([...reinstated, steplabAccessGranted(ECT_ID, '2025-12-03T10:00:00.000Z')], '2025-12-04T09:00:00Z')).toMatchObject({
        state: 'active',
        grantedAt: '2025-12-03T10:00:00.000Z',
        breached: false,
      }));

    it('is revoked when withdrawn before access came, breached only if the deadline passed before the withdrawal date', () => {
      expect(viewAt([...submitted, participantWithdrawn({ withdrawalDate: '2025-10-02' })], '2025-12-01T09:00:00Z')).toMatchObject({ state: 'revoked', breached: false });
      expect(viewAt([...submitted, participantWithdrawn({ withdrawalDate: '2025-10-03' })], '2025-12-01T09:00:00Z')).toMatchObject({ state: 'revoked', breached: true });
    });

    it('goes back to the form’s state when reinstated without ever having had access', () =>
      expect(viewAt([...submitted, participantWithdrawn({ withdrawalDate: '2025-10-01' }), participantReinstated('2025-10-01', '2025-10-01')], NOW).state).toBe('form-submitted'));
  });
});
