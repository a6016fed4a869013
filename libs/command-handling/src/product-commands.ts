import { ParticipantState, participantDecider, participantStreamId, schoolDecider, schoolStreamId, trnRegistryDecider, trnStreamId } from '@ecf/domain';
import { commandHandlerFor } from './handle-command';
import { StreamStateCacheOptions } from './stream-state-cache';

/**
 * The folded participants a process keeps (per store): a participant's state is a few kilobytes, so
 * 10 000 of them is tens of megabytes (`npm run bench` reports it). Kept for a minute unused at most, and
 * never once the stream records an erasure: a participant's personal details leave memory with it.
 */
export const PARTICIPANT_STATE_CACHE: StreamStateCacheOptions<ParticipantState> = { maxStreams: 10_000, idleMs: 60_000, keeps: (state) => state.personalDataErasedOn === null };

/** A participant's command, on the stream of the participant id given. */
export const handleParticipantCommand = commandHandlerFor(participantDecider, participantStreamId, { cache: PARTICIPANT_STATE_CACHE });

/** A school partnership's command, on the stream of the school URN given. */
export const handleSchoolCommand = commandHandlerFor(schoolDecider, schoolStreamId);

/** A TRN claim, on the stream of the TRN given. */
export const handleTrnClaim = commandHandlerFor(trnRegistryDecider, trnStreamId);
