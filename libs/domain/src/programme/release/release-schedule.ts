import { addDays, addWeeks, daysBetween, isBefore, laterOf } from '../../shared/calendar';
import { lastModuleAccessedBefore } from '../../participant/rules/pause';
import { Curriculum, CurriculumItemKind, CurriculumTrack, curriculumTrackOf } from '../config/curriculum';
import { ProgrammeTimeline } from '../timeline/programme-timeline';
import { Interruption, interruptionsOf } from './interruptions';

/** Why an item is (or is not) released when it is. */
export type ReleaseReason =
  | 'as-planned'
  | 'moved-by-deferral'
  | 'released-at-resume'
  | 'released-at-return'
  | 'released-at-reinstatement'
  | 'held-by-pause'
  | 'held-by-deferral'
  | 'not-released-withdrawn';

/** One curriculum item of a participant's schedule, computed from their events alone (no clock). */
export interface ReleaseRow {
  readonly code: string;
  readonly kind: CurriculumItemKind;
  readonly title: string;
  /**
   * The original plan: content start + the item's week. A deferral never changes it, open or ended, so
   * the plan stays visible beside the release date a deferral moved it to.
   */
  readonly plannedDate: string;
  /** The plan moved on by any deferral before the item: when it is released unless a pause or withdrawal holds it. */
  readonly dueDate: string;
  /** Null while held, and for a withdrawn participant. */
  readonly releaseDate: string | null;
  /** For held items: when they would be released if the pause or deferral ends on its expected date. */
  readonly projectedReleaseDate: string | null;
  readonly reason: ReleaseReason;
}

export interface ReleaseSchedule {
  /** Null for an induction tutor, who has no content schedule. */
  readonly track: CurriculumTrack | null;
  readonly contentStartDate: string | null;
  /** The most recent pause and the module the ECT continues from after it (the last accessed before it, seed 004). */
  readonly latestPause: { readonly startDate: string; readonly endDate: string | null; readonly continueFromModule: string | null } | null;
  readonly rows: readonly ReleaseRow[];
}

/**
 * The participant's module-release schedule: one row per item of their track's curriculum (SPEC §4;
 * rules in docs/domain-rules.md, "Release schedule"). Time-independent: `releaseStateOn` reads a row
 * against a date.
 */
export function releaseSchedule(timeline: ProgrammeTimeline, curriculum: Curriculum): ReleaseSchedule {
  const track = curriculumTrackOf(timeline.type);
  const contentStart = timeline.contentStartDate;
  if (track === null || contentStart === null) return { track, contentStartDate: contentStart, latestPause: null, rows: [] };
  const interruptions = interruptionsOf(timeline);
  return {
    track,
    contentStartDate: contentStart,
    latestPause: latestPauseOf(timeline),
    rows: curriculum[track].map(({ code, kind, title, releaseWeek }) => ({
      code,
      kind,
      title,
      ...releaseOf(addWeeks(contentStart, releaseWeek), interruptions.filter(holdsItemsOf(kind)), contentStart),
    })),
  };
}

/**
 * A pause "does not pause the entire programme, it only pauses the release of modules" (seed 004):
 * conferences and clinics keep their dates through it. A deferral or withdrawal holds every kind.
 */
const holdsItemsOf =
  (kind: CurriculumItemKind) =>
  (interruption: Interruption): boolean =>
    interruption.kind !== 'pause' || kind === 'module';

type Release = Pick<ReleaseRow, 'plannedDate' | 'dueDate' | 'releaseDate' | 'projectedReleaseDate' | 'reason'>;

const RELEASED_WHEN_ENDED = { pause: 'released-at-resume', deferral: 'released-at-return', withdrawal: 'released-at-reinstatement' } as const;

/**
 * Walks the interruptions in date order. An item due before the next one is released on its plan. A
 * deferral moves the rest of the plan on by its length. An item due inside a pause or withdrawal is held
 * until it ends; if a deferral or withdrawal took over (a pause that became a deferral), the item stays
 * held into that one and is released when it ends.
 */
function releaseOf(plannedDate: string, interruptions: readonly Interruption[], contentStart: string): Release {
  let due = plannedDate;
  let moved = false;
  let carried = false;
  for (const stop of interruptions) {
    if (!carried) {
      if (isBefore(due, stop.start)) break;
      if (stop.kind === 'deferral') {
        const moveBy = deferralLength(stop, contentStart);
        if (stop.end === null) return { plannedDate, dueDate: due, releaseDate: null, projectedReleaseDate: addDays(due, moveBy), reason: 'held-by-deferral' };
        due = addDays(due, moveBy);
        moved ||= moveBy > 0;
        continue;
      }
      if (stop.end !== null && !isBefore(due, stop.end)) continue;
    }
    if (stop.end === null) return { plannedDate, dueDate: due, ...heldBy(stop, due) };
    if (stop.endsInRelease) return { plannedDate, dueDate: due, releaseDate: stop.end, projectedReleaseDate: null, reason: RELEASED_WHEN_ENDED[stop.kind] };
    carried = true;
  }
  return { plannedDate, dueDate: due, releaseDate: due, projectedReleaseDate: null, reason: moved ? 'moved-by-deferral' : 'as-planned' };
}

/**
 * Days the plan moves on: from the deferral date to the return (the expected return while open). A
 * deferral from registration counts from the content start, since nothing was due before it; once the
 * participant returns, the return date is their content start and nothing more moves.
 */
function deferralLength(deferral: { readonly start: string; readonly end: string | null; readonly expectedEnd: string }, contentStart: string): number {
  return Math.max(0, daysBetween(laterOf(deferral.start, contentStart), deferral.end ?? deferral.expectedEnd));
}

function heldBy(stop: Interruption, due: string): Pick<Release, 'releaseDate' | 'projectedReleaseDate' | 'reason'> {
  if (stop.kind === 'withdrawal') return { releaseDate: null, projectedReleaseDate: null, reason: 'not-released-withdrawn' };
  return { releaseDate: null, projectedReleaseDate: laterOf(due, stop.expectedEnd), reason: stop.kind === 'pause' ? 'held-by-pause' : 'held-by-deferral' };
}

function latestPauseOf(timeline: ProgrammeTimeline): ReleaseSchedule['latestPause'] {
  const pause = timeline.pauses[timeline.pauses.length - 1];
  if (!pause) return null;
  // The resume event names the module; until then it is worked out the same way from the accesses.
  const continueFromModule = pause.endedBy === 'resume' ? pause.resumeFromModule : lastModuleAccessedBefore(timeline.moduleAccesses, pause.startDate);
  return { startDate: pause.startDate, endDate: pause.endDate, continueFromModule };
}
