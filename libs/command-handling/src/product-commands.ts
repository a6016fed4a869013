import { ParticipantState, participantDecider, participantStreamId, SchoolState, schoolDecider, schoolStreamId, trnRegistryDecider, trnStreamId } from '@ecf/domain';
import type { EventStore } from '@ecf/event-store';
import { commandHandlerFor, readFolded } from './handle-command';
import { FoldedStream, StreamStateCacheOptions, StreamStateCaches } from './stream-state-cache';

/**
 * The folded participants a process keeps (per store): a participant's state is a few kilobytes, so
 * 10 000 of them is tens of megabytes (`npm run bench` reports it). Kept for a minute unused at most, and
 * never once the stream records an erasure: a participant's personal details leave memory with it.
 */
export const PARTICIPANT_STATE_CACHE: StreamStateCacheOptions<ParticipantState> = { maxStreams: 10_000, idleMs: 60_000, keeps: (state) => state.personalDataErasedOn === null };

/** The folded schools a process keeps (per store) for scope checks: a school's state is its partnerships, a few hundred bytes. */
export const SCHOOL_STATE_CACHE: StreamStateCacheOptions<SchoolState> = { maxStreams: 10_000, idleMs: 60_000, keeps: () => true };

/** Participants folded by this process, per store: shared by the command path and the reads of a participant's current state. */
export const participantFolds = new StreamStateCaches(PARTICIPANT_STATE_CACHE);

/** Schools folded by this process, per store: read for every scope check. */
export const schoolFolds = new StreamStateCaches(SCHOOL_STATE_CACHE);

/** A participant's command, on the stream of the participant id given. */
export const handleParticipantCommand = commandHandlerFor(participantDecider, participantStreamId, { caches: participantFolds });

/** A school partnership's command, on the stream of the school URN given. */
export const handleSchoolCommand = commandHandlerFor(schoolDecider, schoolStreamId);

/** A TRN claim, on the stream of the TRN given. */
export const handleTrnClaim = commandHandlerFor(trnRegistryDecider, trnStreamId);

/** The participant as their stream says now (the tail past a kept fold read first). */
export const readCurrentParticipant = (store: EventStore, participantId: string): Promise<FoldedStream<ParticipantState>> =>
  readFolded(store, participantDecider, participantStreamId(participantId), participantFolds.of(store));

/** The school as its stream says now (the tail past a kept fold read first). */
export const readCurrentSchool = (store: EventStore, urn: string): Promise<FoldedStream<SchoolState>> =>
  readFolded(store, schoolDecider, schoolStreamId(urn), schoolFolds.of(store));
