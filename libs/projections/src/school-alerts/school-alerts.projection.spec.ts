import Database from 'better-sqlite3';
import { ParticipantEvent, SchoolEvent } from '@ecf/domain';
import {
  dataValidationPassed,
  ECT_ID,
  ectRegistered,
  inductionTutorRegistered,
  OTHER_SCHOOL_URN,
  participantWithdrawn,
  SCHOOL_URN,
  schoolPartnershipRegistered,
  TUTOR_ID,
} from '@ecf/domain/testing';
import type { RecordedEvent } from '@ecf/event-store';
import { schoolAlertsProjection } from './school-alerts.projection';
import { listSchoolAlerts } from './school-alerts.queries';

let db: Database.Database;
let position = 0;

beforeEach(() => {
  db = new Database(':memory:');
  for (const ddl of schoolAlertsProjection.schema) db.exec(ddl);
  position = 0;
});
afterEach(() => db.close());

function project(...events: (ParticipantEvent | SchoolEvent)[]): void {
  for (const event of events) {
    position += 1;
    const recorded: RecordedEvent = {
      eventId: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`,
      type: event.type,
      data: event.data as unknown as Record<string, unknown>,
      metadata: { commandId: 'c', correlationId: 'c', causationId: 'c', actor: { id: 'test', role: 'dpl' }, schemaVersion: 1 },
      streamId: 'participant-test',
      revision: 0,
      position,
      recordedAt: '2025-10-01T09:00:00.000Z',
      hash: '',
    };
    if (schoolAlertsProjection.handles.includes(event.type)) schoolAlertsProjection.apply(recorded, db);
  }
}

const schoolChanged = (participantId: string, effectiveDate = '2025-11-03'): ParticipantEvent => ({
  type: 'SchoolChanged',
  data: { participantId, fromSchoolUrn: SCHOOL_URN, toSchoolUrn: OTHER_SCHOOL_URN, effectiveDate, toRegion: 'north-west', regionCovered: true, endedMentorMatch: null },
});
const alerts = (schoolUrn?: string) => listSchoolAlerts(db, schoolUrn === undefined ? {} : { schoolUrn }).map(({ schoolUrn: urn, kind, raisedOn }) => ({ urn, kind, raisedOn }));

describe('School alerts (seed 004, Other)', () => {
  it('Rule: a school left with no active participants after a school change is alerted, from the move date', () => {
    project(ectRegistered(), dataValidationPassed(), schoolChanged(ECT_ID));
    expect(alerts()).toEqual([{ urn: SCHOOL_URN, kind: 'no-active-participants', raisedOn: '2025-11-03' }]);
  });

  it('Rule: a school whose induction tutor is withdrawn is alerted to find a replacement; registering one clears it', () => {
    project(ectRegistered(), inductionTutorRegistered(), participantWithdrawn({ participantId: TUTOR_ID, participantType: 'induction-tutor', withdrawalDate: '2025-10-20' }));
    expect(alerts()).toEqual([{ urn: SCHOOL_URN, kind: 'no-induction-tutor', raisedOn: '2025-10-20' }]);
    project(inductionTutorRegistered({ participantId: '0b6f3c0e-1a2b-4c3d-8e4f-000000000099' }));
    expect(alerts()).toEqual([]);
  });

  it('clears the no-active-participants alert when the participant is reinstated', () => {
    project(ectRegistered(), participantWithdrawn());
    expect(alerts(SCHOOL_URN).map((alert) => alert.kind)).toEqual(['no-active-participants']);
    project({ type: 'ParticipantReinstated', data: { participantId: ECT_ID, withdrawalDate: '2025-10-01', reinstatedOn: '2025-10-02' } });
    expect(alerts()).toEqual([]);
  });

  it('a withdrawal after a move counts at the new school, not the old one', () => {
    project(ectRegistered(), inductionTutorRegistered(), schoolChanged(ECT_ID), participantWithdrawn());
    expect(alerts()).toEqual([{ urn: OTHER_SCHOOL_URN, kind: 'no-active-participants', raisedOn: '2025-10-01' }]);
  });

  it('narrows alerts to an ECF Lead’s delivery partner', () => {
    project(schoolPartnershipRegistered(), ectRegistered(), participantWithdrawn());
    expect(listSchoolAlerts(db, { deliveryPartnerId: 'dp-north' })).toHaveLength(1);
    expect(listSchoolAlerts(db, { deliveryPartnerId: 'dp-midlands' })).toHaveLength(0);
  });
});
