import { isAfter, isBefore } from '../../shared/calendar';
import { DeclarationType, EngagementKind } from '../../shared/reference-data';
import { curriculumTrackOf } from '../config/curriculum';
import { engagementCountsUntil, findPaymentSchedule, PaymentSchedules } from '../config/payment-schedules';
import { PaymentBlock, paymentBlockOn, paymentStatusChanges } from '../timeline/participation';
import { ProgrammeTimeline } from '../timeline/programme-timeline';
import { COURSE_IDENTIFIER_OF, Declaration, EVIDENCE_OF, EVIDENCE_PRECEDENCE } from './declaration';

export type PaymentReason =
  | 'engaged'
  | 'no-engagement-while-active'
  | 'deferred'
  | 'withdrawn-before-window'
  | 'withdrawn-before-engaging'
  | 'region-not-covered'
  | 'not-validated'
  | 'no-started-declaration';

/** One milestone of the participant's schedule, computed from their events alone (no clock). */
export interface PaymentEligibilityRow {
  readonly declarationType: DeclarationType;
  readonly windowStart: string;
  /** DfE's deadline, or null where DfE sets none. */
  readonly windowEnd: string | null;
  /** The last day an engagement counts for this milestone (see `engagementCountsUntil`); null = open. */
  readonly engagementCountsUntil: string | null;
  readonly paymentDate: string;
  readonly eligible: boolean;
  readonly reason: PaymentReason;
  readonly declaration: Declaration | null;
}

const REASON_OF_BLOCK: Readonly<Record<PaymentBlock, PaymentReason>> = {
  withdrawn: 'withdrawn-before-window',
  'region-not-covered': 'region-not-covered',
  deferred: 'deferred',
};

interface Engagement {
  readonly kind: EngagementKind;
  readonly date: string;
}

/**
 * Payment eligibility per milestone of the participant's schedule (SPEC §4; rules in
 * docs/domain-rules.md, "Payment eligibility"). Empty for induction tutors and for a cohort or
 * schedule that config/payment-schedules.json does not list.
 */
export function paymentEligibility(timeline: ProgrammeTimeline, schedules: PaymentSchedules): PaymentEligibilityRow[] {
  const track = curriculumTrackOf(timeline.type);
  const { participantId, cohort, scheduleIdentifier } = timeline;
  if (track === null || participantId === null || cohort === null || scheduleIdentifier === null) return [];
  const schedule = findPaymentSchedule(schedules, cohort, scheduleIdentifier);
  if (!schedule) return [];
  const engagements = engagementsInOrder(timeline);
  const rows = schedule.milestones.map((milestone, index): PaymentEligibilityRow => {
    const countsUntil = engagementCountsUntil(schedule.milestones, index);
    const window = { declarationType: milestone.declarationType, windowStart: milestone.startDate, windowEnd: milestone.milestoneDate, engagementCountsUntil: countsUntil, paymentDate: milestone.paymentDate };
    const notEligible = (reason: PaymentReason): PaymentEligibilityRow => ({ ...window, eligible: false, reason, declaration: null });
    if (timeline.validation.outcome !== 'validated') return notEligible('not-validated');
    const inWindow = (date: string) => !isBefore(date, milestone.startDate) && (countsUntil === null || !isAfter(date, countsUntil));
    const qualifying = engagements.find((engagement) => inWindow(engagement.date) && paymentBlockOn(timeline, engagement.date) === null);
    if (!qualifying) return notEligible(reasonWithoutEngagement(timeline, milestone.startDate, inWindow));
    const declaration: Declaration = {
      participantId,
      declarationType: milestone.declarationType,
      declarationDate: qualifying.date,
      courseIdentifier: COURSE_IDENTIFIER_OF[track],
      evidenceHeld: EVIDENCE_OF[qualifying.kind],
    };
    return { ...window, eligible: true, reason: 'engaged', declaration };
  });
  // DfE pays only for participants with a started declaration: later milestones wait for it.
  const started = rows.find((row) => row.declarationType === 'started');
  if (started?.eligible) return rows;
  return rows.map((row) => (row.eligible ? { ...row, eligible: false, reason: 'no-started-declaration', declaration: null } : row));
}

/**
 * Engagements reported by the platform and attendance at conferences and clinics, earliest first; on
 * the same day the strongest evidence first, so the declaration names it.
 */
function engagementsInOrder(timeline: ProgrammeTimeline): Engagement[] {
  const all: Engagement[] = [
    ...timeline.engagements.map((engagement) => ({ kind: engagement.kind, date: engagement.occurredOn })),
    ...timeline.attendance.map((attendance) => ({ kind: attendance.eventKind, date: attendance.attendedOn })),
  ];
  const strength = (engagement: Engagement) => EVIDENCE_PRECEDENCE.indexOf(EVIDENCE_OF[engagement.kind]);
  return all.sort((a, b) => (a.date === b.date ? strength(a) - strength(b) : isBefore(a.date, b.date) ? -1 : 1));
}

/**
 * A window in which the participant could have earned the milestone on some day (active, or paused)
 * but did not is `no-engagement-while-active` while they can still earn it; once withdrawn for the
 * rest of the window, `withdrawn-before-engaging`: seed 004, "No payment will be received for a
 * withdrawn participant if they haven't engaged in the payment window they were active in", so such a
 * window is never read as awaiting engagement. A window with no such day takes the reason that held
 * at its start. The status only changes on the dates `paymentStatusChanges` lists, so checking those
 * inside the window (and its first day) covers every day.
 */
function reasonWithoutEngagement(timeline: ProgrammeTimeline, windowStart: string, inWindow: (date: string) => boolean): PaymentReason {
  const blockAtStart = paymentBlockOn(timeline, windowStart);
  const changes = paymentStatusChanges(timeline).filter(inWindow);
  const activeLater = changes.some((date) => paymentBlockOn(timeline, date) === null);
  if (blockAtStart !== null && !activeLater) return REASON_OF_BLOCK[blockAtStart];
  const lastChange = changes.reduce<string | null>((latest, date) => (latest === null || isAfter(date, latest) ? date : latest), null);
  const blockAtEnd = lastChange === null ? blockAtStart : paymentBlockOn(timeline, lastChange);
  return blockAtEnd === 'withdrawn' ? 'withdrawn-before-engaging' : 'no-engagement-while-active';
}
