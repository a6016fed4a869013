import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { RecordedEvent } from '@ecf/event-store';
import { eventDataFor } from '../auth/permissions';

/** One event as published to reporting jobs: its place in the feed, its stream, its data and metadata. */
export class FeedEvent {
  @ApiProperty({ description: 'Position in the feed: strictly increasing, stable, the resume point' }) position!: number;
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ example: 'ParticipantDeferred' }) type!: string;
  @ApiProperty({ description: 'The version of the JSON Schema (GET /schemas) the data follows' }) schemaVersion!: number;
  @ApiProperty({ example: 'participant-0b6f3c0e-…' }) streamId!: string;
  @ApiProperty() revision!: number;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
  @ApiProperty() data!: Record<string, unknown>;
  @ApiProperty() metadata!: { commandId: string; correlationId: string; causationId: string; actor: { id: string; role: string }; reason?: string; traceparent?: string };
}

export class FeedPage {
  @ApiProperty({ type: [FeedEvent] }) events!: FeedEvent[];
  @ApiProperty({ description: 'Pass as ?after= for the next page (the last position examined, even when filtered out)' }) next!: number;
  @ApiProperty({ description: 'The newest position in the log when the page was read' }) head!: number;
  @ApiPropertyOptional({ description: 'True when there may be more events after `next`' }) more!: boolean;
}

/** Roles that may not read personal data get events without `data.personal`. */
export function toFeedEvent(event: RecordedEvent, showPersonal: boolean): FeedEvent {
  const data = eventDataFor(event.data, showPersonal);
  const { schemaVersion, ...metadata } = event.metadata;
  return {
    position: event.position,
    eventId: event.eventId,
    type: event.type,
    schemaVersion,
    streamId: event.streamId,
    revision: event.revision,
    recordedAt: event.recordedAt,
    data,
    metadata,
  };
}
