/**
 * Where the per-participant keys live: a SQLite file under DATA_DIR (embedded) or PostgreSQL (server
 * mode). Each call is one look-up for the whole batch of participants it names.
 */
export interface ParticipantKeys {
  /** Each participant's key, created on first use; null for a participant whose key was destroyed. */
  keysToSeal(participantIds: readonly string[]): Promise<Map<string, Buffer | null>>;
  /** Each participant's key, or null when destroyed or never created (nothing of theirs can be opened). */
  keysToOpen(participantIds: readonly string[]): Promise<Map<string, Buffer | null>>;
  /** Destroys the key for good; a participant never seen before is remembered as erased. */
  destroy(participantId: string, now: string): Promise<void>;
  isDestroyed(participantId: string): Promise<boolean>;
  close(): Promise<void>;
}
