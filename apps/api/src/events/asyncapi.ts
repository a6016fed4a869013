import type { EventSchemaRegistry } from '@ecf/event-schemas';

/**
 * The AsyncAPI 2.6 description of the event feed, built from the same schema registry that
 * `GET /schemas` serves and `ecf verify` checks against, so the three cannot disagree.
 */
export function asyncApiDocument(registry: EventSchemaRegistry, version: string): object {
  const messages = Object.fromEntries(
    registry.types.map((type) => {
      const latest = registry.latestVersion(type);
      return [
        type,
        {
          name: type,
          title: type,
          summary: (registry.schema(type, latest) as { description?: string }).description,
          contentType: 'application/json',
          headers: {
            type: 'object',
            properties: {
              id: { type: 'integer', description: 'SSE id: the event’s position in the log; send as Last-Event-ID to resume' },
              event: { type: 'string', const: type, description: 'SSE event name: the event type' },
            },
          },
          payload: {
            type: 'object',
            required: ['position', 'eventId', 'type', 'schemaVersion', 'streamId', 'revision', 'recordedAt', 'data', 'metadata'],
            properties: {
              position: { type: 'integer', minimum: 1 },
              eventId: { type: 'string', format: 'uuid' },
              type: { const: type },
              schemaVersion: { const: latest },
              streamId: { type: 'string' },
              revision: { type: 'integer', minimum: 0 },
              recordedAt: { type: 'string', format: 'date-time' },
              data: registry.schema(type, latest),
              metadata: {
                type: 'object',
                required: ['commandId', 'correlationId', 'causationId', 'actor'],
                properties: {
                  commandId: { type: 'string' },
                  correlationId: { type: 'string' },
                  causationId: { type: 'string', description: 'The command, or for a policy’s command the event that caused it' },
                  actor: { type: 'object', properties: { id: { type: 'string' }, role: { type: 'string' } } },
                  reason: { type: 'string' },
                  traceparent: { type: 'string', description: 'W3C trace context of the command that wrote the event, when it was traced (OpenTelemetry)' },
                },
              },
            },
          },
        },
      ];
    }),
  );
  return {
    asyncapi: '2.6.0',
    id: 'urn:ecf:induction-engine:event-feed',
    info: {
      title: 'ECF induction engine — event feed',
      version,
      description:
        'Every event of the log, in log order. Positions are stable and strictly increasing: a consumer that keeps the last position it processed ' +
        'resumes with GET /events?after=<position> or by reconnecting to the SSE stream with Last-Event-ID, and never misses or reorders an event. ' +
        'Data is served at each type’s current schema version (older stored events are upcast); roles without access to personal data receive events without data.personal.',
    },
    defaultContentType: 'application/json',
    servers: { api: { url: '/', protocol: 'https', description: 'The API itself (bearer API key with the reporting, auditor, dpl or system role)' } },
    channels: {
      '/events/stream': {
        description: 'Server-sent events: catch-up from Last-Event-ID (or ?after=), then live. Filter with ?type=A,B.',
        subscribe: { operationId: 'streamEvents', message: { oneOf: registry.types.map((type) => ({ $ref: `#/components/messages/${type}` })) } },
      },
      '/events': {
        description: 'Pages of the same events: GET /events?after=&limit=&type= answers { events, next, head, more }.',
        subscribe: { operationId: 'pageEvents', message: { oneOf: registry.types.map((type) => ({ $ref: `#/components/messages/${type}` })) } },
      },
    },
    components: { messages },
  };
}
