import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ParticipantState } from '@ecf/domain';
import type { ParticipantSummaryRow } from '@ecf/projections';

class PersonalDetailsView {
  @ApiProperty() firstName!: string;
  @ApiProperty() lastName!: string;
  @ApiProperty({ format: 'date' }) dateOfBirth!: string;
  @ApiProperty() email!: string;
}

export class ParticipantView {
  @ApiProperty({ format: 'uuid' }) participantId!: string;
  @ApiProperty({ enum: ['ect', 'mentor', 'induction-tutor'] }) type!: string;
  @ApiPropertyOptional({ nullable: true }) trn!: string | null;
  @ApiPropertyOptional({ type: PersonalDetailsView, description: 'Omitted for roles that may not see personal data, and once erased' })
  personal?: PersonalDetailsView;
  @ApiProperty() schoolUrn!: string;
  @ApiProperty() cohort!: number;
  @ApiProperty({ enum: ['awaiting-validation', 'active', 'paused', 'deferred', 'withdrawn'] }) status!: string;
  @ApiProperty() validation!: { outcome: string; reasons: readonly string[] };
  @ApiPropertyOptional({ nullable: true }) mentor!: { id: string; interim: boolean } | null;
  @ApiProperty({ type: [String], description: 'For mentors and induction tutors: the ECTs they mentor' }) menteeIds!: string[];
  @ApiProperty() steplab!: ParticipantState['steplab'];
  @ApiProperty({ format: 'date' }) registeredOn!: string;
  @ApiPropertyOptional({ nullable: true }) scheduleIdentifier!: string | null;
  @ApiPropertyOptional({ nullable: true, format: 'date' }) contentStartDate!: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'The current pause (ECTs)', example: { startDate: '2026-01-12', expectedResumeDate: '2026-02-09' } })
  pause!: ParticipantState['pause'];
  @ApiPropertyOptional({ nullable: true, description: 'The current deferral; cascadedFromEctId when it followed their ECT’s' })
  deferral!: ParticipantState['deferral'];
  @ApiPropertyOptional({ nullable: true, description: 'The withdrawal, while it stands; reversalRequested once the ECF Lead asked the DPL' })
  withdrawal!: ParticipantState['withdrawal'];
  @ApiPropertyOptional({ nullable: true, format: 'date', description: 'Moved into a region the lead provider does not cover: no output payments from this date' })
  outputPaymentsStopOn!: string | null;
  @ApiPropertyOptional({ nullable: true, format: 'date', description: 'When the personal details were erased (UK GDPR)' })
  personalDataErasedOn!: string | null;
  @ApiProperty({ description: 'Stream revision: send as If-Match to change this participant' }) revision!: number;
  @ApiPropertyOptional({ format: 'date', description: 'Present when the view is of that day (effective axis)' }) asOf?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'Present when the view is of what was known then (recorded axis)' }) knownAt?: string;
}

export function toParticipantView(state: ParticipantState, revision: number, menteeIds: string[], showPersonal: boolean): ParticipantView {
  return {
    participantId: state.participantId as string,
    type: state.type as string,
    trn: state.trn,
    ...(showPersonal && state.personal ? { personal: { ...state.personal } } : {}),
    schoolUrn: state.schoolUrn as string,
    cohort: state.cohort as number,
    status: state.status,
    validation: state.validation,
    mentor: state.mentor,
    menteeIds,
    steplab: state.steplab,
    registeredOn: state.registeredOn as string,
    scheduleIdentifier: state.scheduleIdentifier,
    contentStartDate: state.contentStartDate,
    pause: state.pause,
    deferral: state.deferral,
    withdrawal: state.withdrawal,
    outputPaymentsStopOn: state.outputPaymentsStopOn,
    personalDataErasedOn: state.personalDataErasedOn,
    revision,
  };
}

export class ParticipantListItem {
  @ApiProperty({ format: 'uuid' }) participantId!: string;
  @ApiProperty() type!: string;
  @ApiPropertyOptional({ nullable: true }) trn!: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'null once erased' }) firstName?: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'null once erased' }) lastName?: string | null;
  @ApiProperty() schoolUrn!: string;
  @ApiProperty() cohort!: number;
  @ApiPropertyOptional({ nullable: true }) deliveryPartnerId!: string | null;
  @ApiProperty() status!: string;
  @ApiPropertyOptional({ nullable: true }) mentorId!: string | null;
  @ApiProperty() steplabStatus!: string;
  @ApiProperty() revision!: number;
}

export class ParticipantPage {
  @ApiProperty({ type: [ParticipantListItem] }) items!: ParticipantListItem[];
  @ApiPropertyOptional({ nullable: true, description: 'Pass as ?after= for the next page' }) next!: string | null;
}

export function toListItem(row: ParticipantSummaryRow, showPersonal: boolean): ParticipantListItem {
  return {
    participantId: row.participantId,
    type: row.type,
    trn: row.trn,
    ...(showPersonal ? { firstName: row.firstName, lastName: row.lastName } : {}),
    schoolUrn: row.schoolUrn,
    cohort: row.cohort,
    deliveryPartnerId: row.deliveryPartnerId,
    status: row.status,
    mentorId: row.mentorId,
    steplabStatus: row.steplabStatus,
    revision: row.revision,
  };
}
