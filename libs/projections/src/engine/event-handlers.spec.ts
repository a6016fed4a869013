import { ECT_ID, ectRegistered, mentorMatched, MENTOR_ID } from '@ecf/domain/testing';
import type { RecordedEvent } from '@ecf/event-store';
import { dispatch, EventHandlers, handledTypes } from './event-handlers';

const recorded = (event: { type: string; data: unknown }): RecordedEvent =>
  ({ eventId: 'e1', streamId: `participant-${ECT_ID}`, revision: 0, position: 1, type: event.type, data: event.data, metadata: {}, recordedAt: '2026-01-01T00:00:00.000Z' }) as unknown as RecordedEvent;

describe('event handler maps', () => {
  const seen: string[] = [];
  const handlers: EventHandlers<string[]> = {
    ECTRegistered: async (event, log) => void log.push(`registered ${event.data.participantId}`),
    MentorMatched: async (event, log) => void log.push(`matched ${event.data.mentorId}`),
  };

  it('given a map, the types it handles are its keys', () => {
    expect(handledTypes(handlers)).toEqual(['ECTRegistered', 'MentorMatched']);
  });

  it('given a recorded event of a handled type, its handler gets the event as the domain knows it; another type is ignored', async () => {
    await dispatch(handlers, recorded(ectRegistered()), seen);
    await dispatch(handlers, recorded(mentorMatched()), seen);
    await dispatch(handlers, recorded({ type: 'DataValidationPassed', data: { participantId: ECT_ID } }), seen);
    expect(seen).toEqual([`registered ${ECT_ID}`, `matched ${MENTOR_ID}`]);
  });
});
