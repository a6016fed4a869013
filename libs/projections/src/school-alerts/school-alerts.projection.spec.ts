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
import { schoolAlertsProjection } from './school-alerts.projection';
import { listSchoolAlerts } from './school-alerts.queries';
import { freshReadModels, DisposableReadModels, READ_MODEL_KINDS } from '../testing/read-model-databases';
import { ProjectionHarness } from '../testing/projection-harness';

describe.each(READ_MODEL_KINDS)('School alerts (seed 004, Other) on %s', (kind) => {
let readModels: DisposableReadModels;
let harness: ProjectionHarness;

beforeEach(async () => {
  readModels = await freshReadModels(kind);
  harness = await new ProjectionHarness(readModels.db, schoolAlertsProjection).createTables();
});
afterEach(() => readModels.dispose());

const project = (...events: (ParticipantEvent | SchoolEvent)[]) => harness.project(...events);
const schoolChanged = (participantId: string, effectiveDate = '2025-11-03'): ParticipantEvent => ({
  type: 'SchoolChanged',
  data: { participantId, fromSchoolUrn: SCHOOL_URN, toSchoolUrn: OTHER_SCHOOL_URN, effectiveDate, toRegion: 'north-west', regionCovered: true, endedMentorMatch: null },
});
const alerts = async (schoolUrn?: string) => (await listSchoolAlerts(readModels.db, harness.table, schoolUrn === undefined ? {} : { schoolUrn })).map(({ schoolUrn: urn, kind, raisedOn }) => ({ urn, kind, raisedOn }));

  it('Rule: a school left with no active participants after a school change is alerted, from the move date', async () => {
    await project(ectRegistered(), dataValidationPassed(), schoolChanged(ECT_ID));
    expect(await alerts()).toEqual([{ urn: SCHOOL_URN, kind: 'no-active-participants', raisedOn: '2025-11-03' }]);
  });

  it('Rule: a school whose induction tutor is withdrawn is alerted to find a replacement; registering one clears it', async () => {
    await project(ectRegistered(), inductionTutorRegistered(), participantWithdrawn({ participantId: TUTOR_ID, participantType: 'induction-tutor', withdrawalDate: '2025-10-20' }));
    expect(await alerts()).toEqual([{ urn: SCHOOL_URN, kind: 'no-induction-tutor', raisedOn: '2025-10-20' }]);
    await project(inductionTutorRegistered({ participantId: '0b6f3c0e-1a2b-4c3d-8e4f-000000000099' }));
    expect(await alerts()).toEqual([]);
  });

  it('clears the no-active-participants alert when the participant is reinstated', async () => {
    await project(ectRegistered(), participantWithdrawn());
    expect((await alerts(SCHOOL_URN)).map((alert) => alert.kind)).toEqual(['no-active-participants']);
    await project({ type: 'ParticipantReinstated', data: { participantId: ECT_ID, withdrawalDate: '2025-10-01', reinstatedOn: '2025-10-02' } });
    expect(await alerts()).toEqual([]);
  });

  it('a withdrawal after a move counts at the new school, not the old one', async () => {
    await project(ectRegistered(), inductionTutorRegistered(), schoolChanged(ECT_ID), participantWithdrawn());
    expect(await alerts()).toEqual([{ urn: OTHER_SCHOOL_URN, kind: 'no-active-participants', raisedOn: '2025-10-01' }]);
  });

  it('narrows alerts to an ECF Lead’s delivery partner', async () => {
    await project(schoolPartnershipRegistered(), ectRegistered(), participantWithdrawn());
    expect(await listSchoolAlerts(readModels.db, harness.table, { deliveryPartnerId: 'dp-north' })).toHaveLength(1);
    expect(await listSchoolAlerts(readModels.db, harness.table, { deliveryPartnerId: 'dp-midlands' })).toHaveLength(0);
  });
});
