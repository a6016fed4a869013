import { isInstantAfter, isBefore, londonDateOf } from '../../shared/calendar';
import { ProgrammeTimeline } from '../timeline/programme-timeline';

export type SteplabAccessState = 'not-requested' | 'awaiting-validation' | 'form-submitted' | 'active' | 'revoked' | 'reinstatement-pending';

export interface SteplabAccessView {
  readonly state: SteplabAccessState;
  readonly formSubmittedAt: string | null;
  /** 24 hours after the form (seed 000, step 4). */
  readonly accessDueBy: string | null;
  readonly grantedAt: string | null;
  /** True when access was granted after the deadline, or has not been granted and the deadline has passed. */
  readonly breached: boolean;
  readonly revokedOn: string | null;
  readonly reinstatedOn: string | null;
}

/**
 * The Steplab access state machine of SPEC §4, read at an instant (the injected clock's now):
 * awaiting-validation (registered; the form opens once DfE validates) or not-requested (validated, no
 * form yet) → form-submitted → active → revoked (withdrawal) → reinstatement-pending → active.
 */
export function steplabAccessView(timeline: ProgrammeTimeline, now: string): SteplabAccessView {
  const { formSubmittedAt, accessDueBy, lastGrantedAt, revokedOn, reinstatedOn } = timeline.steplab;
  const state = stateOf(timeline);
  return { state, formSubmittedAt, accessDueBy, grantedAt: lastGrantedAt, breached: isBreached(timeline, state, now), revokedOn, reinstatedOn };
}

function stateOf(timeline: ProgrammeTimeline): SteplabAccessState {
  const { steplab } = timeline;
  if (timeline.type === null) return 'not-requested';
  if (openWithdrawalOf(timeline)) return 'revoked';
  if (steplab.hasAccess) return 'active';
  // Reinstated after access was removed: the back office restores it with no new form (seed 004).
  if (steplab.reinstatedOn !== null && steplab.revokedOn !== null) return 'reinstatement-pending';
  if (steplab.formSubmittedAt !== null) return 'form-submitted';
  return timeline.validation.outcome === 'validated' ? 'not-requested' : 'awaiting-validation';
}

/**
 * The 24-hour deadline answers the form only. A participant withdrawn before access was granted
 * breached it only if the deadline passed before the withdrawal date.
 */
function isBreached(timeline: ProgrammeTimeline, state: SteplabAccessState, now: string): boolean {
  const { accessDueBy, firstGrantedAt } = timeline.steplab;
  if (accessDueBy === null) return false;
  if (firstGrantedAt !== null) return isInstantAfter(firstGrantedAt, accessDueBy);
  const withdrawal = state === 'revoked' ? openWithdrawalOf(timeline) : undefined;
  if (withdrawal) return isBefore(londonDateOf(accessDueBy), withdrawal.withdrawalDate);
  return isInstantAfter(now, accessDueBy);
}

const openWithdrawalOf = (timeline: ProgrammeTimeline) => timeline.withdrawals.find((withdrawal) => withdrawal.reinstatedOn === null);
