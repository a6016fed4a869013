import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  PaymentEligibilityRow,
  paymentStateOn,
  releaseStateOn,
  ReleaseSchedule,
  SteplabAccessView as DomainSteplabAccessView,
} from '@ecf/domain';

export class DeclarationView {
  @ApiProperty({ format: 'uuid' }) participantId!: string;
  @ApiProperty({ example: 'started' }) declarationType!: string;
  @ApiProperty({ format: 'date', description: 'The qualifying engagement’s date: inside the window, never after a withdrawal' }) declarationDate!: string;
  @ApiProperty({ enum: ['ecf-induction', 'ecf-mentor'] }) courseIdentifier!: string;
  @ApiProperty({ example: 'training-event-attended' }) evidenceHeld!: string;
}

export class MilestoneView {
  @ApiProperty({ example: 'retained-1' }) declarationType!: string;
  @ApiProperty({ format: 'date' }) windowStart!: string;
  @ApiProperty({ format: 'date', nullable: true, description: 'DfE’s deadline (null where DfE sets none)' }) windowEnd!: string | null;
  @ApiProperty({ format: 'date' }) paymentDate!: string;
  @ApiProperty() eligible!: boolean;
  @ApiProperty({ example: 'engaged', description: 'engaged, no-engagement-while-active, deferred, withdrawn-before-window, withdrawn-before-engaging, region-not-covered, not-validated, no-started-declaration' })
  reason!: string;
  @ApiProperty({ enum: ['eligible', 'not-eligible', 'window-not-open', 'window-open'], description: 'The milestone on the day asked (a future window is not "no engagement")' })
  state!: string;
  @ApiProperty({ type: DeclarationView, nullable: true }) declaration!: DeclarationView | null;
}

export class PaymentEligibilityView {
  @ApiProperty({ format: 'uuid' }) participantId!: string;
  @ApiProperty({ format: 'date', description: 'The day the states are for' }) asOf!: string;
  @ApiPropertyOptional({ description: 'Recorded axis, when asked' }) knownAt?: string;
  @ApiProperty({ type: [MilestoneView] }) milestones!: MilestoneView[];
}

export class ReleaseItemView {
  @ApiProperty({ example: 'ect-y1-m01' }) code!: string;
  @ApiProperty({ enum: ['module', 'conference', 'clinic'] }) kind!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ format: 'date', description: 'The original plan: content start + the item’s week; a deferral does not change it' }) plannedDate!: string;
  @ApiProperty({ format: 'date', description: 'The plan moved on by any deferral before the item: released then unless a pause or withdrawal holds it' }) dueDate!: string;
  @ApiProperty({ format: 'date', nullable: true }) releaseDate!: string | null;
  @ApiProperty({ format: 'date', nullable: true, description: 'For held items: the release if the pause or deferral ends when expected' }) projectedReleaseDate!: string | null;
  @ApiProperty({ example: 'as-planned' }) reason!: string;
  @ApiProperty({ enum: ['released', 'released-at-resume', 'scheduled', 'held', 'not-released-withdrawn'] }) state!: string;
}

export class ReleaseScheduleView {
  @ApiProperty({ format: 'uuid' }) participantId!: string;
  @ApiProperty({ format: 'date' }) asOf!: string;
  @ApiPropertyOptional() knownAt?: string;
  @ApiProperty({ enum: ['ect', 'mentor'], nullable: true }) track!: string | null;
  @ApiProperty({ format: 'date', nullable: true }) contentStartDate!: string | null;
  @ApiProperty({ nullable: true, description: 'The latest pause and the module the ECT continues from (the last accessed before it)' })
  latestPause!: { startDate: string; endDate: string | null; continueFromModule: string | null } | null;
  @ApiProperty({ type: [ReleaseItemView] }) items!: ReleaseItemView[];
}

export class SteplabAccessView {
  @ApiProperty({ format: 'uuid' }) participantId!: string;
  @ApiProperty({ description: 'The instant the state and breach are read at' }) at!: string;
  @ApiProperty({ enum: ['not-requested', 'awaiting-validation', 'form-submitted', 'active', 'revoked', 'reinstatement-pending'] }) state!: string;
  @ApiProperty({ nullable: true }) formSubmittedAt!: string | null;
  @ApiProperty({ nullable: true, description: '24 hours after the form' }) accessDueBy!: string | null;
  @ApiProperty({ nullable: true }) grantedAt!: string | null;
  @ApiProperty({ description: 'Granted after the deadline, or not granted and the deadline has passed' }) breached!: boolean;
  @ApiProperty({ format: 'date', nullable: true }) revokedOn!: string | null;
  @ApiProperty({ format: 'date', nullable: true }) reinstatedOn!: string | null;
}

export const toReleaseScheduleView = (participantId: string, schedule: ReleaseSchedule, asOf: string): Omit<ReleaseScheduleView, 'knownAt'> => ({
  participantId,
  asOf,
  track: schedule.track,
  contentStartDate: schedule.contentStartDate,
  latestPause: schedule.latestPause,
  items: schedule.rows.map((row) => ({ ...row, state: releaseStateOn(row, asOf) })),
});

export const toPaymentEligibilityView = (participantId: string, rows: readonly PaymentEligibilityRow[], asOf: string): Omit<PaymentEligibilityView, 'knownAt'> => ({
  participantId,
  asOf,
  milestones: rows.map(({ declarationType, windowStart, windowEnd, paymentDate, eligible, reason, declaration, engagementCountsUntil }) => ({
    declarationType, windowStart, windowEnd, paymentDate, eligible, reason, declaration,
    state: paymentStateOn({ eligible, reason, windowStart, engagementCountsUntil }, asOf),
  })),
});

export const toSteplabAccessView = (participantId: string, view: DomainSteplabAccessView, at: string): SteplabAccessView => ({ participantId, at, ...view });
