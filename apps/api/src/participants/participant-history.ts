import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { effectiveDateOf, ParticipantEvent } from '@ecf/domain';
import { RecordedEvent, toDomainEvent } from '@ecf/event-store';
import { csvHeader, csvRows } from '@ecf/runtime';
import { eventDataFor } from '../auth/permissions';

class ActorView {
  @ApiProperty({ example: 'key_3f2a…' }) id!: string;
  @ApiProperty({ example: 'ecf-lead' }) role!: string;
}

export class HistoryEntry {
  @ApiProperty() revision!: number;
  @ApiProperty({ description: 'Position in the event feed' }) position!: number;
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ example: 'ParticipantDeferred' }) type!: string;
  @ApiPropertyOptional({ nullable: true, format: 'date', description: 'When it took effect (business date); null: when recorded' })
  effectiveDate!: string | null;
  @ApiProperty({ format: 'date-time', description: 'When the system recorded it' }) recordedAt!: string;
  @ApiProperty({ type: ActorView }) actor!: ActorView;
  @ApiPropertyOptional({ nullable: true, description: 'The reason given (the event’s, else the command’s)' }) reason!: string | null;
  @ApiProperty({ format: 'uuid' }) commandId!: string;
  @ApiProperty({ format: 'uuid' }) correlationId!: string;
  @ApiProperty({ format: 'uuid', description: 'What caused it: the command, or for a cascade the event that triggered the policy' })
  causationId!: string;
  @ApiPropertyOptional({ nullable: true, format: 'uuid', description: 'For a mentor cascade: the ECT whose event this follows' })
  cascadedFromEctId!: string | null;
  @ApiProperty({ description: 'The event’s data (personal details omitted for roles that may not see them)' })
  data!: Record<string, unknown>;
}

export class ParticipantHistory {
  @ApiProperty({ format: 'uuid' }) participantId!: string;
  @ApiPropertyOptional({ format: 'date' }) asOf?: string;
  @ApiPropertyOptional({ format: 'date-time' }) knownAt?: string;
  @ApiProperty({ type: [HistoryEntry] }) events!: HistoryEntry[];
}

export function toHistoryEntry(recorded: RecordedEvent, showPersonal: boolean): HistoryEntry {
  const event = toDomainEvent<ParticipantEvent>(recorded);
  const data = recorded.data;
  const { metadata } = recorded;
  return {
    revision: recorded.revision,
    position: recorded.position,
    eventId: recorded.eventId,
    type: recorded.type,
    effectiveDate: effectiveDateOf(event),
    recordedAt: recorded.recordedAt,
    actor: { id: metadata.actor.id, role: metadata.actor.role },
    reason: typeof data.reason === 'string' ? data.reason : (metadata.reason ?? null),
    commandId: metadata.commandId,
    correlationId: metadata.correlationId,
    causationId: metadata.causationId,
    cascadedFromEctId: typeof data.cascadedFromEctId === 'string' ? data.cascadedFromEctId : null,
    data: eventDataFor(data, showPersonal),
  };
}

const CSV_COLUMNS = ['revision', 'recordedAt', 'effectiveDate', 'type', 'actorId', 'actorRole', 'reason', 'cascadedFromEctId', 'causationId', 'correlationId', 'details'];

/** The readable timeline: one row per event, details as compact JSON (a reason typed as `=…` stays text: csv-lines). */
export function historyCsv(history: ParticipantHistory): string {
  return csvHeader(CSV_COLUMNS) + csvRows(
    history.events.map((entry) => [
      entry.revision, entry.recordedAt, entry.effectiveDate, entry.type, entry.actor.id, entry.actor.role, entry.reason,
      entry.cascadedFromEctId, entry.causationId, entry.correlationId, JSON.stringify(entry.data),
    ]),
  );
}
