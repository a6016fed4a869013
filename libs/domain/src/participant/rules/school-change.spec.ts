import { participantDecider } from '../participant.decider';
import { deciderSpecification } from '../../testing/decider-specification';
import { ctx, ECT_ID, MENTOR_ID, SCHOOL_URN } from '../../testing/fixtures';
import { activeECT, changeSchool } from '../../testing/lifecycle-fixtures';

const participant = deciderSpecification(participantDecider, ctx);
const changed = (overrides: object = {}) => ({
  type: 'SchoolChanged' as const,
  data: { participantId: ECT_ID, fromSchoolUrn: SCHOOL_URN, toSchoolUrn: '200002', effectiveDate: '2025-10-01', toRegion: 'north-east', regionCovered: true, endedMentorMatch: MENTOR_ID, ...overrides },
});

describe('Change of school (ChangeSchool — seed 004, Other)', () => {
  it('Rule: the programme continues at the new school; the ECT’s match with a mentor at the old school ends', () =>
    participant.given(activeECT).when(changeSchool()).then([changed()]));

  it('Rule: a move into a region the lead provider does not cover stops output payments from the move date', () => {
    participant
      .given(activeECT)
      .when(changeSchool({ newSchoolUrn: '300003', newSchool: { urn: '300003', region: 'south-west' } }))
      .then([changed({ toSchoolUrn: '300003', toRegion: 'south-west', regionCovered: false })]);
    const state = [...activeECT, changed({ toRegion: 'south-west', regionCovered: false })].reduce(participantDecider.evolve, participantDecider.initialState());
    expect(state.outputPaymentsStopOn).toBe('2025-10-01');
  });

  it('needs the region of a school we do not know', () => {
    participant.given(activeECT).when(changeSchool({ newSchool: null })).thenRejects('INVALID_INPUT');
    participant.given(activeECT).when(changeSchool({ newSchool: null, newSchoolRegion: 'south-west' })).then([changed({ toRegion: 'south-west', regionCovered: false })]);
  });

  it('rejects a move to the same school, and a future move date', () => {
    participant.given(activeECT).when(changeSchool({ newSchoolUrn: SCHOOL_URN })).thenRejects('SAME_SCHOOL');
    participant.given(activeECT).when(changeSchool({ effectiveDate: '2025-12-01' })).thenRejects('INVALID_INPUT');
  });
});
