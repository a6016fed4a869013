import { ParticipantEvent } from '@ecf/domain';
import { dataValidationPassed, ectRegistered, mentorMatched, participantWithdrawn } from '@ecf/domain/testing';
import type { RecordedEvent } from '@ecf/event-store';
import { eventsAt, foldParticipant } from './participant-timeline';

const recorded = (event: ParticipantEvent, revision: number, recordedAt: string): RecordedEvent => ({
  eventId: `00000000-0000-4000-8000-${String(revision).padStart(12, '0')}`,
  type: event.type,
  data: event.data as unknown as Record<string, unknown>,
  metadata: { commandId: 'c', correlationId: 'c', causationId: 'c', actor: { id: 'test', role: 'ecf-lead' }, schemaVersion: 1 },
  streamId: 'participant-x',
  revision,
  position: revision + 1,
  recordedAt,
  hash: '',
});

// Registered and validated on 1 October; on 20 November a withdrawal dated 1 November is recorded.
const log = [
  recorded(ectRegistered(), 0, '2025-10-01T09:00:00.000Z'),
  recorded(dataValidationPassed(), 1, '2025-10-01T10:00:00.000Z'),
  recorded(mentorMatched(), 2, '2025-10-02T10:00:00.000Z'),
  recorded(participantWithdrawn({ withdrawalDate: '2025-11-01' }), 3, '2025-11-20T15:30:00.000Z'),
];
const statusAt = (travel: Parameters<typeof eventsAt>[1]) => foldParticipant(eventsAt(log, travel)).status;

describe('Time travel on a participant’s stream (effective and recorded axes)', () => {
  it('asOf: the back-dated withdrawal counts from its own date', () => {
    expect(statusAt({ asOf: '2025-10-31' })).toBe('active');
    expect(statusAt({ asOf: '2025-11-01' })).toBe('withdrawn');
  });

  it('knownAt: before the withdrawal was recorded the system believed the ECT active, even for a day after its date', () => {
    expect(statusAt({ asOf: '2025-11-10', knownAt: '2025-11-15T00:00:00Z' })).toBe('active');
    expect(statusAt({ asOf: '2025-11-10', knownAt: '2025-11-20T15:30:00Z' })).toBe('withdrawn');
  });

  it('facts without a business date count from the day they were recorded', () => {
    expect(eventsAt(log, { asOf: '2025-10-01' }).map((event) => event.type)).toEqual(['ECTRegistered', 'DataValidationPassed']);
  });

  it('without either axis every event counts', () => expect(eventsAt(log, {})).toHaveLength(4));
});
