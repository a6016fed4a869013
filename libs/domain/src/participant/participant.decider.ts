import { Decider } from '../shared/decider';
import { DomainError } from '../shared/domain-error';
import { ParticipantCommand } from './participant.commands';
import { ParticipantEvent } from './participant.events';
import { evolveParticipant, initialParticipantState, ParticipantState } from './participant.state';
import { recordDataValidation } from './rules/data-validation';
import { deferParticipant, returnFromDeferral, updateDeferralReturnDate } from './rules/deferral';
import { recordAttendance, recordEngagement, recordModuleAccess } from './rules/engagement';
import { matchMentor } from './rules/mentor-matching';
import { pauseECT, resumeECT } from './rules/pause';
import { register } from './rules/registration';
import { amendReleaseSchedule } from './rules/release-schedule';
import { changeSchool } from './rules/school-change';
import { grantSteplabAccess, submitSteplabAccessForm } from './rules/steplab-access';
import { reinstateParticipant, requestWithdrawalReversal, withdrawParticipant } from './rules/withdrawal';
import { erasePersonalData } from './rules/erasure';

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
      case 'PauseECT':
        return pauseECT(command, state);
      case 'ResumeECT':
        return resumeECT(command, state);
      case 'DeferECT':
      case 'DeferMentor':
        return deferParticipant(command, state);
      case 'UpdateDeferralReturnDate':
        return updateDeferralReturnDate(command, state);
      case 'ReturnFromDeferral':
        return returnFromDeferral(command, state);
      case 'WithdrawECT':
      case 'WithdrawMentor':
      case 'WithdrawInductionTutor':
        return withdrawParticipant(command, state, ctx);
      case 'RequestWithdrawalReversal':
        return requestWithdrawalReversal(command, state);
      case 'ReinstateParticipant':
        return reinstateParticipant(command, state, ctx);
      case 'ChangeSchool':
        return changeSchool(command, state, ctx);
      case 'AmendReleaseSchedule':
        return amendReleaseSchedule(command, state);
      case 'RecordEngagement':
        return recordEngagement(command, state, ctx);
      case 'RecordModuleAccess':
        return recordModuleAccess(command, state, ctx);
      case 'RecordAttendance':
        return recordAttendance(command, state, ctx);
      case 'ErasePersonalData':
        return erasePersonalData(command, state, ctx);
    }
  },
};
