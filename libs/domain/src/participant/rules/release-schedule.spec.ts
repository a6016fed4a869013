import { participantDecider } from '../participant.decider';
import { deciderSpecification } from '../../testing/decider-specification';
import { ctx, ECT_ID, ectRegistered, dataValidationPassed } from '../../testing/fixtures';
import { AmendReleaseSchedule } from '../participant.commands';

const participant = deciderSpecification(participantDecider, ctx);
const januaryStart = [ectRegistered({ scheduleIdentifier: 'ecf-standard-january', contentStartDate: '2026-01-01' }), dataValidationPassed()];
const amend = (overrides: Partial<AmendReleaseSchedule['data']> = {}): AmendReleaseSchedule => ({
  type: 'AmendReleaseSchedule',
  data: { participantId: ECT_ID, contentStartDate: '2025-11-17', reason: 'Ready to start before January', byDpl: false, agreedWithDpl: 'Dana DPL', ...overrides },
});

describe('Release-schedule amendment (AmendReleaseSchedule — seed 004, Other)', () => {
  it('Rule: an ECF Lead who agreed it with a named DPL moves the content start date', () =>
    participant
      .given(januaryStart)
      .when(amend())
      .then([{ type: 'ReleaseScheduleAmended', data: { participantId: ECT_ID, previousContentStartDate: '2026-01-01', contentStartDate: '2025-11-17', reason: 'Ready to start before January', agreedWithDpl: 'Dana DPL' } }]));

  it('Rule: without a DPL’s agreement an ECF Lead’s amendment is rejected', () =>
    participant.given(januaryStart).when(amend({ agreedWithDpl: null })).thenRejects('DPL_AGREEMENT_REQUIRED'));

  it('Rule: a DPL amends without naming anyone else', () =>
    participant
      .given(januaryStart)
      .when(amend({ agreedWithDpl: null, byDpl: true }))
      .then([{ type: 'ReleaseScheduleAmended', data: { participantId: ECT_ID, previousContentStartDate: '2026-01-01', contentStartDate: '2025-11-17', reason: 'Ready to start before January', agreedWithDpl: null } }]));

  it('does nothing when the date is unchanged', () => participant.given(januaryStart).when(amend({ contentStartDate: '2026-01-01' })).thenNothingHappens());
});
