import { CommandHandler, IllegalStateError, ValidationError } from '@event-driven-io/emmett';

/**
 * The peer's side of the comparison: the project's RecordEngagement on a registered participant,
 * written as Emmett intends a stream's behaviour to be written — initial state, evolve, and a
 * decision that reads the state and returns the one event (or throws Emmett's own errors).
 */
export const initialState = () => ({ status: 'unregistered', withdrawnOn: null, engagements: 0 });

export const evolve = (state, event) => {
  switch (event.type) {
    case 'ECTRegistered':
      return { ...state, status: 'awaiting-validation' };
    case 'DataValidationPassed':
      return { ...state, status: 'active' };
    case 'ParticipantWithdrawn':
      return { ...state, status: 'withdrawn', withdrawnOn: event.data.withdrawalDate };
    case 'EngagementRecorded':
      return { ...state, engagements: state.engagements + 1 };
    default:
      return state;
  }
};

export const register = (participantId, index) => (state) => {
  if (state.status !== 'unregistered') throw new IllegalStateError(`Participant ${participantId} is already registered`);
  return {
    type: 'ECTRegistered',
    data: { participantId, firstName: 'Bench', lastName: `Teacher ${index}`, trn: String(2_000_000 + index), schoolUrn: '100001', cohort: 2026 },
  };
};

export const validate = (participantId) => (state) => {
  if (state.status !== 'awaiting-validation') throw new IllegalStateError(`Participant ${participantId} is not awaiting validation`);
  return { type: 'DataValidationPassed', data: { participantId } };
};

/** Same rules as the project's: registered, not in the future, not after a withdrawal. */
export const recordEngagement =
  ({ participantId, kind, occurredOn, today }) =>
  (state) => {
    if (state.status === 'unregistered') throw new IllegalStateError(`Participant ${participantId} is not registered`);
    if (occurredOn > today) throw new ValidationError('occurredOn must not be in the future');
    if (state.withdrawnOn !== null && occurredOn > state.withdrawnOn) throw new IllegalStateError(`Participant ${participantId} was withdrawn on ${state.withdrawnOn}`);
    return { type: 'EngagementRecorded', data: { participantId, kind, occurredOn, reference: 'bench' } };
  };

export const handleParticipant = CommandHandler({ evolve, initialState, mapToStreamId: (participantId) => `participant-${participantId}` });
