import { CourseIdentifier, DeclarationType, EngagementKind, EvidenceHeld } from '../../shared/reference-data';

/** The declaration the lead provider would send to DfE for an eligible milestone (POST participant-declarations). */
export interface Declaration {
  readonly participantId: string;
  readonly declarationType: DeclarationType;
  /** The qualifying engagement's date (YYYY-MM-DD); DfE wants RFC 3339, so an export adds the time of day. */
  readonly declarationDate: string;
  readonly courseIdentifier: CourseIdentifier;
  readonly evidenceHeld: EvidenceHeld;
}

export const COURSE_IDENTIFIER_OF: Readonly<Record<'ect' | 'mentor', CourseIdentifier>> = { ect: 'ecf-induction', mentor: 'ecf-mentor' };

/**
 * What an engagement is evidence of, in DfE's words: conferences and clinics are training events;
 * completed modules and self-study are self-study material; a coaching session is none of DfE's
 * named kinds, so `other`.
 */
export const EVIDENCE_OF: Readonly<Record<EngagementKind, EvidenceHeld>> = {
  conference: 'training-event-attended',
  clinic: 'training-event-attended',
  'module-completed': 'self-study-material-completed',
  'self-study': 'self-study-material-completed',
  'coaching-session': 'other',
};

/** When several engagements qualify on the same day, the declaration names the strongest evidence. */
export const EVIDENCE_PRECEDENCE: readonly EvidenceHeld[] = ['training-event-attended', 'self-study-material-completed', 'other'];
