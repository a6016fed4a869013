import { Decider } from '../shared/decider';
import { DomainError } from '../shared/domain-error';
import { ParticipantCommand } from './participant.commands';
import { ParticipantEvent } from './participant.events';
import { evolveParticipant, initialParticipantState, ParticipantState } from './participant.state';
import { recordDataValidation } from './rules/data-validation';
import { matchMentor } from './rules/mentor-matching';
import { register } from './rules/registration';
import { grantSteplabAccess, submitSteplabAccessForm } from './rules/steplab-access';

const notRegistered = (participantId: string): DomainError =>
  new DomainError('PARTICIPANT_NOT_FOUND', `No participant ${participantId} is registered.`);

export const participantDecider: Decider<ParticipantState, ParticipantCommand, ParticipantEvent> = {
  initialState: initialParticipantState,
  evolve: evolveParticipant,
  decide(command, state, ctx) {
    switch (command.type) {
      case 'RegisterECT':
      case 'RegisterMentor':
      case 'RegisterInductionTutor':
        return register(command, state, ctx);
    }
    if (!state.registered) return notRegistered(command.data.participantId);
    switch (command.type) {
      case 'RecordDataValidation':
        return recordDataValidation(command, state);
      case 'MatchMentor':
        return matchMentor(command, state);
      case 'SubmitSteplabAccessForm':
        return submitSteplabAccessForm(command, state, ctx);
      case 'GrantSteplabAccess':
        return grantSteplabAccess(command, state, ctx);
    }
  },
};
