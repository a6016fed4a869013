import { addMonths, isAfter, isCalendarDate } from '../../shared/calendar';
import { Decision, DecisionContext } from '../../shared/decider';
import { DomainError } from '../../shared/domain-error';
import { FieldChecks } from '../../shared/field-checks';
import { isEmail, isName, isTrn, isUrn, OLDEST_AGE, YOUNGEST_AGE } from '../../shared/identifiers';
import { ParticipantEvent, Registration } from '../participant.events';
import { RegisterParticipant } from '../participant.commands';
import { ParticipantState } from '../participant.state';
import { defaultReleasePlan } from './content-start';


/** YOUNGEST_AGE to OLDEST_AGE years old on the registration day (shared/identifiers.ts says why). */
function isPlausibleDateOfBirth(dateOfBirth: string, today: string): boolean {
  const latestDateOfBirth = addMonths(today, -12 * YOUNGEST_AGE);
  const bornOnTheDayToTurnTooOld = addMonths(today, -12 * (OLDEST_AGE + 1));
  return !isAfter(dateOfBirth, latestDateOfBirth) && isAfter(dateOfBirth, bornOnTheDayToTurnTooOld);
}

function checkFields(command: RegisterParticipant, ctx: DecisionContext): DomainError | undefined {
  const { firstName, lastName, dateOfBirth, trn, email, schoolUrn, cohort } = command.data;
  const trnRequired = command.type !== 'RegisterInductionTutor';
  const checks = new FieldChecks()
    .check(isName(firstName), 'firstName', 'REQUIRED', 'firstName is required (at most 100 characters).')
    .check(isName(lastName), 'lastName', 'REQUIRED', 'lastName is required (at most 100 characters).')
    .calendarDate(dateOfBirth, 'dateOfBirth')
    .notInFuture(dateOfBirth, 'dateOfBirth', ctx.today)
    .check(
      !isCalendarDate(dateOfBirth) || isAfter(dateOfBirth, ctx.today) || isPlausibleDateOfBirth(dateOfBirth, ctx.today),
      'dateOfBirth',
      'AGE_OUT_OF_RANGE',
      `dateOfBirth must make the participant ${YOUNGEST_AGE} to ${OLDEST_AGE} years old on the registration day.`,
    )
    .check(isEmail(email), 'email', 'INVALID_EMAIL', 'email must be an email address.')
    .check(isUrn(schoolUrn), 'schoolUrn', 'INVALID_URN', 'schoolUrn must be exactly 6 digits.')
    .cohort(cohort, ctx.today);
  if (trnRequired || (trn !== undefined && trn !== null)) {
    checks.check(isTrn(trn), 'trn', 'INVALID_TRN', 'trn must be exactly 7 digits (the teacher reference number).');
  }
  return checks.result();
}

function checkSchool(command: RegisterParticipant): DomainError | undefined {
  const { school, schoolUrn, cohort } = command.data;
  if (!school) {
    return new DomainError('SCHOOL_NOT_FOUND', `No school with URN ${schoolUrn} has a partnership with us.`, {
      rule: 'Participants are registered at a partnered school.',
      nextStep: 'Establish the school’s partnership with a delivery partner first (POST /schools).',
    });
  }
  if (school.partnerships[cohort] === undefined) {
    return new DomainError('SCHOOL_NOT_PARTNERED_FOR_COHORT', `School ${schoolUrn} has no delivery partner for the ${cohort} cohort.`, {
      rule: 'A school confirms its partnership with a delivery partner for each cohort year before registering participants.',
      nextStep: `Register the school's partnership for cohort ${cohort} (POST /schools).`,
    });
  }
  return undefined;
}

/** RegisterECT / RegisterMentor / RegisterInductionTutor: the participant then awaits DfE validation. */
export function register(command: RegisterParticipant, state: ParticipantState, ctx: DecisionContext): Decision<ParticipantEvent> {
  if (state.registered) {
    return new DomainError('PARTICIPANT_ALREADY_REGISTERED', `Participant ${state.participantId} is already registered.`, {
      context: { participantId: state.participantId ?? '' },
    });
  }
  const rejection = checkFields(command, ctx) ?? checkSchool(command);
  if (rejection) return rejection;

  const { participantId, firstName, lastName, dateOfBirth, trn, email, schoolUrn, cohort } = command.data;
  const registration: Registration = {
    participantId,
    trn: trn ?? null,
    schoolUrn,
    cohort,
    registeredOn: ctx.today,
    personal: { firstName: firstName.trim(), lastName: lastName.trim(), dateOfBirth, email: email.trim() },
  };
  switch (command.type) {
    case 'RegisterECT':
      return [{ type: 'ECTRegistered', data: { ...registration, ...defaultReleasePlan(cohort, ctx.today) } }];
    case 'RegisterMentor':
      return [{ type: 'MentorRegistered', data: { ...registration, ...defaultReleasePlan(cohort, ctx.today) } }];
    case 'RegisterInductionTutor':
      return [{ type: 'InductionTutorRegistered', data: registration }];
  }
}
