import type { RecordedEvent } from '@ecf/event-store';
import { generationTable, Projection, TableName } from '../engine/projection';
import { ReadModelDatabase } from '../read-models/sql-database';

export interface DomainEventLike {
  readonly type: string;
  readonly data: object;
}

/** Feeds events to a projection one by one, as the engine would, on a real read-model database. */
export class ProjectionHarness {
  readonly table: TableName = generationTable(1);
  private position = 0;

  constructor(
    readonly db: ReadModelDatabase,
    private readonly projection: Projection,
  ) {}

  async createTables(): Promise<this> {
    for (const ddl of this.projection.schema(this.table)) await this.db.exec(ddl);
    return this;
  }

  async project(...events: DomainEventLike[]): Promise<void> {
    for (const event of events) {
      this.position += 1;
      const recorded = recordedEvent(event, this.position);
      if (!this.projection.handles.includes(event.type)) continue;
      await this.db.transaction((session) => this.projection.apply([recorded], session, this.table));
    }
  }
}

export function recordedEvent(event: DomainEventLike, position: number, recordedAt = '2025-10-01T09:00:00.000Z'): RecordedEvent {
  const data = event.data as Record<string, unknown>;
  return {
    eventId: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`,
    type: event.type,
    data,
    metadata: { commandId: 'c', correlationId: 'c', causationId: 'c', actor: { id: 'test', role: 'dpl' }, schemaVersion: 1 },
    streamId: typeof data.participantId === 'string' ? `participant-${data.participantId}` : 'school-test',
    revision: 0,
    position,
    recordedAt,
    hash: '',
  };
}
