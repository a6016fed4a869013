import { EVENT_TYPE } from '@eventstore/db-client';
import { isSystemEvent, userEventsOnly } from './system-events';

const resolved = (streamId: string, type: string) => ({
  event: { streamId, id: 'id', revision: 0n, type, isJson: true as const, created: new Date(), data: {}, metadata: undefined, position: { commit: 1n, prepare: 1n } },
});

describe('system events', () => {
  it('our events are not system events', () => {
    expect(isSystemEvent(resolved('participant-123', 'ECTRegistered'))).toBe(false);
  });

  it('an event whose type starts with $ is a system event (stream metadata, links of system projections)', () => {
    expect(isSystemEvent(resolved('$$participant-123', '$metadata'))).toBe(true);
    expect(isSystemEvent(resolved('$ce-participant', '$>'))).toBe(true);
  });

  it('an event in a $ stream is a system event even when its type is not', () => {
    expect(isSystemEvent(resolved('$persistentSubscriptionConfig', 'PersistentConfig1'))).toBe(true);
  });

  it('a link whose event is gone is not ours', () => {
    expect(isSystemEvent({})).toBe(true);
  });

  it('the server-side filter excludes event types starting with $', () => {
    const filter = userEventsOnly();

    expect(filter.filterOn).toBe(EVENT_TYPE);
    expect(new RegExp(filter.regex).test('ECTRegistered')).toBe(true);
    expect(new RegExp(filter.regex).test('$metadata')).toBe(false);
  });
});
