/** The shapes of the API's answers that the console reads (see the OpenAPI document at /docs). */

export interface Participant {
  readonly participantId: string;
  readonly type: 'ect' | 'mentor' | 'induction-tutor';
  readonly trn: string | null;
  readonly personal?: { firstName: string; lastName: string; dateOfBirth: string; email: string };
  readonly schoolUrn: string;
  readonly cohort: number;
  readonly status: string;
  readonly validation: { outcome: string; reasons: readonly string[] };
  readonly mentor: { id: string; interim: boolean } | null;
  readonly menteeIds: readonly string[];
  readonly steplab: { status: string; formSubmittedAt: string | null; accessDueBy: string | null; grantedAt: string | null };
  readonly registeredOn: string;
  readonly scheduleIdentifier: string | null;
  readonly contentStartDate: string | null;
  readonly pause: { startDate: string; expectedResumeDate: string } | null;
  readonly deferral: { deferralDate: string; expectedReturnDate: string; reason: string; cascadedFromEctId: string | null } | null;
  readonly withdrawal: { withdrawalDate: string; reason: string; reversalRequested: boolean; cascadedFromEctId: string | null } | null;
  readonly outputPaymentsStopOn: string | null;
  readonly personalDataErasedOn: string | null;
  readonly revision: number;
  readonly asOf?: string;
}

export interface ParticipantListItem {
  readonly participantId: string;
  readonly type: string;
  readonly trn: string | null;
  readonly firstName?: string | null;
  readonly lastName?: string | null;
  readonly schoolUrn: string;
  readonly cohort: number;
  readonly deliveryPartnerId: string | null;
  readonly status: string;
  readonly mentorId: string | null;
  readonly steplabStatus: string;
  readonly revision: number;
}

export interface ParticipantPage {
  readonly items: readonly ParticipantListItem[];
  readonly next: string | null;
}

export interface ReleaseItem {
  readonly code: string;
  readonly kind: string;
  readonly title: string;
  readonly plannedDate: string;
  readonly releaseDate: string | null;
  readonly projectedReleaseDate: string | null;
  readonly reason: string;
  readonly state: string;
}

export interface ReleaseSchedule {
  readonly asOf: string;
  readonly track: string | null;
  readonly contentStartDate: string | null;
  readonly latestPause: { startDate: string; endDate: string | null; continueFromModule: string | null } | null;
  readonly items: readonly ReleaseItem[];
}

export interface Milestone {
  readonly declarationType: string;
  readonly windowStart: string;
  readonly windowEnd: string | null;
  readonly paymentDate: string;
  readonly eligible: boolean;
  readonly reason: string;
  readonly state: string;
  readonly declaration: { declarationDate: string; courseIdentifier: string; evidenceHeld: string } | null;
}

export interface PaymentEligibility {
  readonly asOf: string;
  readonly milestones: readonly Milestone[];
}

export interface SteplabAccess {
  readonly at: string;
  readonly state: string;
  readonly formSubmittedAt: string | null;
  readonly accessDueBy: string | null;
  readonly grantedAt: string | null;
  readonly breached: boolean;
  readonly revokedOn: string | null;
  readonly reinstatedOn: string | null;
}

export interface HistoryEntry {
  readonly revision: number;
  readonly eventId: string;
  readonly type: string;
  readonly effectiveDate: string | null;
  readonly recordedAt: string;
  readonly actor: { id: string; role: string };
  readonly reason: string | null;
  readonly commandId: string;
  readonly correlationId: string;
  readonly causationId: string;
  readonly cascadedFromEctId: string | null;
  readonly data: Record<string, unknown>;
}

export interface History {
  readonly participantId: string;
  readonly events: readonly HistoryEntry[];
}

export interface CommandResult {
  readonly participantId?: string;
  readonly revision: number;
  readonly position: number;
  readonly dryRun?: boolean;
  readonly events?: readonly { type: string; data: Record<string, unknown> }[];
  readonly cascades?: readonly { type: string; data: Record<string, unknown> }[];
  /** With a dry run that moves no mentor although it could have: why not. */
  readonly noCascade?: { readonly reason: string; readonly mentorId: string | null };
}

export interface CoachingRelationships {
  readonly schoolUrn: string;
  readonly cohort: number;
  readonly items: readonly { ectId: string; mentorId: string | null; interimMentor: boolean; visibleOnSteplab: boolean; blockers: readonly string[] }[];
}

export interface Alert {
  readonly kind: string;
  readonly schoolUrn: string;
  readonly participantId: string | null;
  readonly raisedOn: string;
  readonly causedByEventId: string | null;
  readonly nextStep: string;
}

export interface AlertList {
  readonly asOf: string;
  readonly items: readonly Alert[];
}

export interface PaymentReportItem {
  readonly participantId: string;
  readonly participantType: string;
  readonly schoolUrn: string;
  readonly cohort: number;
  readonly deliveryPartnerId: string | null;
  readonly declarationType: string;
  readonly windowStart: string;
  readonly windowEnd: string | null;
  readonly paymentDate: string;
  readonly eligible: boolean;
  readonly reason: string;
  readonly state: string;
  readonly declarationDate: string | null;
  /** Present only for roles that see personal data; null once erased. */
  readonly firstName?: string | null;
  readonly lastName?: string | null;
}

export interface PaymentReportPage {
  readonly asOf: string;
  readonly items: readonly PaymentReportItem[];
  readonly next: string | null;
}

/** A participant's name when the caller may see it, else their TRN or id. */
export function displayName(participant: { personal?: { firstName: string; lastName: string }; firstName?: string | null; lastName?: string | null; trn: string | null; participantId: string }): string {
  const first = participant.personal?.firstName ?? participant.firstName;
  const last = participant.personal?.lastName ?? participant.lastName;
  if (first && last) return `${first} ${last}`;
  return participant.trn ? `TRN ${participant.trn}` : `Participant ${participant.participantId.slice(0, 8)}`;
}
