import { participantDecider, participantStreamId, schoolDecider, schoolStreamId, trnRegistryDecider, trnStreamId } from '@ecf/domain';
import { commandHandlerFor } from './handle-command';

/** A participant's command, on the stream of the participant id given. */
export const handleParticipantCommand = commandHandlerFor(participantDecider, participantStreamId);

/** A school partnership's command, on the stream of the school URN given. */
export const handleSchoolCommand = commandHandlerFor(schoolDecider, schoolStreamId);

/** A TRN claim, on the stream of the TRN given. */
export const handleTrnClaim = commandHandlerFor(trnRegistryDecider, trnStreamId);
