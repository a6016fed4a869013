import { ParticipantEvent, SchoolEvent } from '@ecf/domain';
import {
  dataValidationPassed,
  ECT_ID,
  ectRegistered,
  inductionTutorRegistered,
  OTHER_SCHOOL_URN,
  MENTOR_ID,
  mentorRegistered,
  participantWithdrawn,
  SCHOOL_URN,
  schoolPartnershipRegistered,
  TODAY,
  TUTOR_ID,
} from '@ecf/domain/testing';
import { schoolAlertsProjection } from './school-alerts.projection';
import { listSchoolAlerts } from './school-alerts.queries';
import { freshReadModels, DisposableReadModels, READ_MODEL_KINDS } from '../testing/read-model-databases';
import { ProjectionHarness } from '../testing/projection-harness';

describe.each(READ_MODEL_KINDS)('School alerts (seed 000; seed 004, Withdraw) on %s', (kind) => {
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

  const SECOND_TUTOR_ID = '0b6f3c0e-1a2b-4c3d-8e4f-000000000099';
  const validatedTutor = () => [inductionTutorRegistered(), dataValidationPassed(TUTOR_ID)];

  it('Rule: a school left with no active participants after a school change is alerted, from the move date; the ECT’s new school, with no tutor, asks for one', async () => {
    await project(ectRegistered(), dataValidationPassed(), schoolChanged(ECT_ID));
    expect(await alerts()).toEqual([
      { urn: SCHOOL_URN, kind: 'no-active-participants', raisedOn: '2025-11-03' },
      { urn: OTHER_SCHOOL_URN, kind: 'no-induction-tutor', raisedOn: '2025-11-03' },
    ]);
  });

  // SPEC §4 lists "school without an induction tutor"; seed 000: "The induction tutor will be responsible for
  // registering the ECTs and mentors, monitoring engagement with the programme via the Steplab platform".
  it('Rule: a school with an active ECT and no induction tutor ever registered is alerted, from the ECT’s registration', async () => {
    await project(ectRegistered(), dataValidationPassed());
    expect(await alerts()).toEqual([{ urn: SCHOOL_URN, kind: 'no-induction-tutor', raisedOn: TODAY }]);
  });

  // Seed 000, step 4: "Once you have registered your ECTs and mentors on the DfE service and the DfE has validated
  // their participant data … If you are new to the role, you will also receive a welcome email from us".
  it('Rule: an induction tutor awaiting DfE validation does not clear the no-induction-tutor alert; their validation does', async () => {
    await project(ectRegistered(), inductionTutorRegistered());
    expect(await alerts()).toEqual([{ urn: SCHOOL_URN, kind: 'no-induction-tutor', raisedOn: TODAY }]);
    await project({ type: 'DataValidationFailed', data: { participantId: TUTOR_ID, reasons: [{ code: 'trn-not-found', text: 'TRN not found' }] } });
    expect(await alerts()).toEqual([{ urn: SCHOOL_URN, kind: 'no-induction-tutor', raisedOn: TODAY }]);
    await project(dataValidationPassed(TUTOR_ID));
    expect(await alerts()).toEqual([]);
  });

  // Seed 004, Withdraw: "The ECF Lead, with support from the school, should have an alternative induction
  // coordinator ready to replace the one leaving."
  it('Rule: a school whose induction tutor is withdrawn is alerted to find a replacement; a replacement clears it once DfE validates them', async () => {
    await project(ectRegistered(), ...validatedTutor());
    expect(await alerts()).toEqual([]);
    await project(participantWithdrawn({ participantId: TUTOR_ID, participantType: 'induction-tutor', withdrawalDate: '2025-10-20' }));
    expect(await alerts()).toEqual([{ urn: SCHOOL_URN, kind: 'no-induction-tutor', raisedOn: '2025-10-20' }]);
    await project(inductionTutorRegistered({ participantId: SECOND_TUTOR_ID }));
    expect(await alerts()).toEqual([{ urn: SCHOOL_URN, kind: 'no-induction-tutor', raisedOn: '2025-10-20' }]);
    await project(dataValidationPassed(SECOND_TUTOR_ID));
    expect(await alerts()).toEqual([]);
  });

  it('a school with no active ECT needs no induction tutor: a tutor registered first raises nothing, and the school whose tutor moves away with no ECTs left raises nothing either', async () => {
    await project(inductionTutorRegistered());
    expect(await alerts()).toEqual([]);
    await project(schoolChanged(TUTOR_ID));
    expect(await alerts()).toEqual([]);
  });

  // Seed 004, Withdraw: "If a school no longer has any participants due to withdrawals, the ECF Lead must let their DPL know about this."
  it('Rule: a school left with only its induction tutor counts as having no participants: the tutor runs the programme for ECTs and mentors, and none is left', async () => {
    await project(...validatedTutor(), ectRegistered(), dataValidationPassed(), mentorRegistered(), dataValidationPassed(MENTOR_ID));
    await project(participantWithdrawn());
    expect(await alerts()).toEqual([]);
    await project(participantWithdrawn({ participantId: MENTOR_ID, participantType: 'mentor', withdrawalDate: '2025-10-02', mentorId: null }));
    expect(await alerts()).toEqual([{ urn: SCHOOL_URN, kind: 'no-active-participants', raisedOn: '2025-10-02' }]);
  });

  it('clears the no-active-participants alert when the participant is reinstated', async () => {
    await project(...validatedTutor(), ectRegistered(), participantWithdrawn());
    expect((await alerts(SCHOOL_URN)).map((alert) => alert.kind)).toEqual(['no-active-participants']);
    await project({ type: 'ParticipantReinstated', data: { participantId: ECT_ID, withdrawalDate: '2025-10-01', reinstatedOn: '2025-10-02' } });
    expect(await alerts()).toEqual([]);
  });

  it('a withdrawal after a move counts at the new school, not the old one', async () => {
    await project(ectRegistered(), mentorRegistered(), schoolChanged(ECT_ID), participantWithdrawn());
    expect(await alerts()).toEqual([{ urn: OTHER_SCHOOL_URN, kind: 'no-active-participants', raisedOn: '2025-10-01' }]);
  });

  it('narrows alerts to an ECF Lead’s delivery partner', async () => {
    await project(schoolPartnershipRegistered(), ectRegistered(), participantWithdrawn());
    expect(await listSchoolAlerts(readModels.db, harness.table, { deliveryPartnerId: 'dp-north' })).toHaveLength(1);
    expect(await listSchoolAlerts(readModels.db, harness.table, { deliveryPartnerId: 'dp-midlands' })).toHaveLength(0);
  });
});
