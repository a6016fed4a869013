import { classifyValidationFailure } from '../participant/rules/data-validation';

/**
 * Event versioning. An event type's data changes shape only by a new schema version
 * (`event-schemas/<Type>.v<N>.json`), written by the deciders from then on, plus an upcaster from the
 * previous version. Stored events are never rewritten (their hashes cover them): readers see every
 * event at its current version because stores are read through `upcastRecordedEvent`.
 */
type Upcaster = (data: Record<string, unknown>) => Record<string, unknown>;

/** For each evolved event type, the upcaster from version N to N+1, indexed by N. */
const UPCASTERS: Readonly<Record<string, Readonly<Record<number, Upcaster>>>> = {
  // v2 adds a structured code to each free-text reason.
  DataValidationFailed: {
    1: (data) => ({ ...data, reasons: (data.reasons as string[]).map((text) => ({ code: classifyValidationFailure(text), text })) }),
  },
  // v2 records a request the mentor cascade made for a mentor withdrawn with their ECT; before it, none was.
  WithdrawalReversalRequested: {
    1: (data) => ({ ...data, cascadedFromEctId: null }),
  },
  // v2 records whether the DPL brought back the mentor withdrawn with the ECT; before it, no one could.
  ParticipantReinstated: {
    1: (data) => ({ ...data, includeCascadedMentor: false, cascadedFromEctId: null }),
  },
};

/** The version the deciders write an event type at (1 unless it has evolved). */
export function currentSchemaVersion(type: string): number {
  return 1 + Object.keys(UPCASTERS[type] ?? {}).length;
}

/** Whether an event stored at this version is older than its type's current one (`upcastEventData` changes it). */
export function needsUpcast(type: string, version: number): boolean {
  // Asked for every event a feed page passes on: most types never evolved, and are answered without counting.
  return UPCASTERS[type] !== undefined && version < currentSchemaVersion(type);
}

/** Brings one event's data from the version it was stored at to the current one. */
export function upcastEventData(type: string, version: number, data: Record<string, unknown>): { version: number; data: Record<string, unknown> } {
  const current = currentSchemaVersion(type);
  let upcast = data;
  for (let from = version; from < current; from++) {
    const step = UPCASTERS[type]?.[from];
    if (!step) throw new Error(`No upcaster for ${type} v${from} → v${from + 1}`);
    upcast = step(upcast);
  }
  return { version: Math.max(version, current), data: upcast };
}
