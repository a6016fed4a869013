import { londonDateOf } from '../shared/calendar';
import { ParticipantEvent } from './participant.events';

/**
 * The business date an event takes effect (the "effective" time axis), as opposed to when it was
 * recorded. Null for facts that take effect when recorded (a validation outcome, a match, a request).
 * A back-dated withdrawal is effective on its withdrawal date though recorded weeks later.
 */
export function effectiveDateOf(event: ParticipantEvent): string | null {
  switch (event.type) {
    case 'ECTRegistered':
    case 'MentorRegistered':
    case 'InductionTutorRegistered':
      return event.data.registeredOn;
    case 'ECTPaused':
      return event.data.startDate;
    case 'ECTResumed':
      return event.data.resumeDate;
    case 'ParticipantDeferred':
      return event.data.deferralDate;
    case 'ReturnedFromDeferral':
      return event.data.returnDate;
    case 'ParticipantWithdrawn':
      return event.data.withdrawalDate;
    case 'SteplabAccessRevoked':
      return event.data.revokedOn;
    case 'ParticipantReinstated':
      return event.data.reinstatedOn;
    case 'SchoolChanged':
      return event.data.effectiveDate;
    case 'EngagementRecorded':
      return event.data.occurredOn;
    case 'ModuleAccessRecorded':
      return londonDateOf(event.data.accessedAt);
    case 'AttendanceRecorded':
      return event.data.attendedOn;
    case 'PersonalDataErased':
      return event.data.erasedOn;
    case 'SteplabAccessGranted':
      return londonDateOf(event.data.grantedAt);
    case 'DataValidationPassed':
    case 'DataValidationFailed':
    case 'MentorMatched':
    case 'SteplabAccessFormSubmitted':
    case 'DeferralReturnDateUpdated':
    case 'WithdrawalReversalRequested':
    case 'ReleaseScheduleAmended':
      return null;
  }
}

/** The day an event counts from on the effective axis: its business date, else the London day it was recorded. */
export const effectiveDayOf = (event: ParticipantEvent, recordedAt: string): string => effectiveDateOf(event) ?? londonDateOf(recordedAt);
