import { LocalDate } from '@js-joda/core';
import {
  Curriculum,
  DeferralReason,
  ENGAGEMENT_KINDS,
  ProgrammeData,
  RegisterParticipant,
  WithdrawalReason,
} from '@ecf/domain';
import { ParticipantCommandInput } from '@ecf/runtime';
import { v5 as uuidv5 } from 'uuid';

/**
 * A deterministic plan of what a lead provider's operations would do over the programme's first
 * cohorts: school partnerships, registrations (induction tutors, ECTs, mentors), DfE validation,
 * Steplab access, mentor matching, engagement and module access, and a realistic share of pauses,
 * deferrals, withdrawals (with reversals and reinstatements), school moves and schedule amendments.
 * The same (participants, seed) always gives the same plan, the same ids and the same command ids,
 * so an interrupted seed resumes by replaying its tail: the store recognises the commands it holds.
 */

/** Calendar: registration for the 2024 cohort opens in May 2024; the plan stops before the service's own today. */
export const SEED_COHORTS = [2024, 2025, 2026] as const;
export const SEED_FIRST_DAY = LocalDate.parse('2024-05-01');
export const SEED_LAST_DAY = LocalDate.parse('2026-11-20');
const PARTICIPANTS_PER_SCHOOL = 30;

/** A registration as a tutor would send it: the id and the school's facts are added on the command path. */
export type PlannedRegistration = RegisterParticipant extends infer C ? (C extends { type: infer T; data: infer D } ? { type: T } & Omit<D, 'participantId' | 'school'> : never) : never;

export type ActorRole = 'dpl' | 'ecf-lead' | 'induction-tutor' | 'system';

interface PlannedStep {
  /** Epoch day on which the command is issued (the decision clock's today). */
  readonly day: number;
  /** Unique and stable: command ids derive from it. */
  readonly key: string;
  readonly role: ActorRole;
}
export interface PlannedPartnership extends PlannedStep {
  readonly kind: 'partnership';
  readonly school: PlannedSchool;
  readonly cohort: number;
}
export interface PlannedRegistrationStep extends PlannedStep {
  readonly kind: 'registration';
  readonly participantId: string;
  readonly input: PlannedRegistration;
}
export interface PlannedParticipantStep extends PlannedStep {
  readonly kind: 'participant';
  readonly participantId: string;
  readonly input: ParticipantCommandInput;
}
export type PlannedAction = PlannedPartnership | PlannedRegistrationStep | PlannedParticipantStep;

export interface PlannedSchool {
  readonly urn: string;
  readonly name: string;
  readonly region: string;
  readonly deliveryPartnerId: string;
}

export interface SeedPlan {
  readonly participants: number;
  readonly seed: number;
  readonly schools: readonly PlannedSchool[];
  /** In the order operations would issue them: by day, then as planned. */
  readonly actions: readonly PlannedAction[];
}

/** mulberry32: small, fast, and the same sequence on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEED_NAMESPACE = '4c1d0f5e-8a7b-4e21-9f3c-6b2a1d0e9c87';
export const seedParticipantId = (seed: number, participants: number, n: number): string => uuidv5(`participant:${seed}:${participants}:${n}`, SEED_NAMESPACE);
export const seedCommandId = (seed: number, participants: number, key: string): string => uuidv5(`command:${seed}:${participants}:${key}`, SEED_NAMESPACE);

const FIRST_NAMES = ['Amira', 'Ben', 'Chloe', 'Dev', 'Ella', 'Femi', 'Grace', 'Hassan', 'Isla', 'Jack', 'Kiran', 'Leah', 'Mo', 'Nia', 'Owen', 'Priya', 'Rhys', 'Sara', 'Tom', 'Zainab'];
const LAST_NAMES = ['Ahmed', 'Brown', 'Clarke', 'Davies', 'Evans', 'Green', 'Hughes', 'Iqbal', 'Jones', 'Khan', 'Lewis', 'Morgan', 'Patel', 'Roberts', 'Shah', 'Taylor', 'Walker', 'Wright'];
const ECT_WITHDRAWAL_REASONS: WithdrawalReason[] = ['left-teaching-profession', 'moved-school', 'switched-to-school-led', 'other'];
const MENTOR_WITHDRAWAL_REASONS: WithdrawalReason[] = ['mentor-no-longer-being-mentor', 'left-teaching-profession', 'moved-school'];
const DEFERRAL_REASONS_SEEN: DeferralReason[] = ['parental-leave', 'long-term-sickness', 'career-break', 'bereavement', 'other'];
const PAUSE_REASONS = ['Illness', 'Jury service', 'Compassionate leave', 'Phased return'];

const epochDay = (date: LocalDate): number => date.toEpochDay();
export const isoDay = (day: number): string => LocalDate.ofEpochDay(day).toString();
const LAST = epochDay(SEED_LAST_DAY);

interface Person {
  readonly n: number;
  readonly participantId: string;
  readonly type: 'ect' | 'mentor' | 'induction-tutor';
  readonly school: PlannedSchool;
  readonly cohort: number;
  readonly registeredOn: number;
  /** Null when DfE's validation fails: nothing more happens to the participant. */
  readonly validatedOn: number | null;
  /** When the participant's training content starts (September, January or April). */
  readonly contentStart: number;
}

/** Builds the plan. `participants` counts induction tutors, ECTs and mentors together. */
export function seedPlan(participants: number, seed: number, programme: ProgrammeData, curriculum: Curriculum): SeedPlan {
  if (!Number.isInteger(participants) || participants < 10) throw new Error('participants must be a whole number of at least 10');
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const between = (from: number, to: number): number => from + Math.floor(random() * (to - from + 1));
  const idOf = (n: number) => seedParticipantId(seed, participants, n);

  const coveredRegions = programme.deliveryPartners.flatMap((partner) => partner.regions.map((region) => ({ region, deliveryPartnerId: partner.id })));
  const schoolCount = Math.max(1, Math.round(participants / PARTICIPANTS_PER_SCHOOL));
  const schools: PlannedSchool[] = Array.from({ length: schoolCount }, (_, index) => {
    const { region, deliveryPartnerId } = coveredRegions[index % coveredRegions.length];
    const urn = String(100_000 + index);
    return { urn, name: `${pick(['St Mary’s', 'Oakfield', 'Riverside', 'Hillcrest', 'Greenway', 'Castle', 'Meadow'])} ${pick(['Primary', 'Academy', 'High School', 'Infant School'])} ${urn}`, region, deliveryPartnerId };
  });

  const actions: PlannedAction[] = [];
  for (const school of schools) {
    for (const cohort of SEED_COHORTS) {
      actions.push({ kind: 'partnership', key: `school:${school.urn}:${cohort}`, day: epochDay(LocalDate.of(cohort, 5, 1)) + between(0, 20), role: 'dpl', school, cohort });
    }
  }

  // Induction tutors first (one per school), then ECTs and mentors spread over schools and cohorts.
  const people: Person[] = [];
  for (let n = 0; n < participants; n += 1) {
    const tutor = n < schoolCount;
    const school = schools[tutor ? n : Math.floor(random() * schoolCount)];
    const cohort = tutor ? SEED_COHORTS[0] : SEED_COHORTS[n % SEED_COHORTS.length];
    const type = tutor ? 'induction-tutor' : random() < 0.54 ? 'ect' : 'mentor';
    const start = random();
    const [registeredOn, contentStart] = tutor
      ? [epochDay(LocalDate.of(cohort, 5, 25)) + between(0, 20), epochDay(LocalDate.of(cohort, 9, 1))]
      : start < 0.85
        ? [epochDay(LocalDate.of(cohort, 5, 25)) + between(0, 120), epochDay(LocalDate.of(cohort, 9, 1))]
        : start < 0.97
          ? [epochDay(LocalDate.of(cohort + 1, 1, 2)) + between(0, 45), epochDay(LocalDate.of(cohort + 1, 1, 1))]
          : [epochDay(LocalDate.of(cohort + 1, 4, 1)) + between(0, 30), epochDay(LocalDate.of(cohort + 1, 4, 1))];
    const validatedOn = random() < 0.04 ? null : registeredOn + between(1, 6);
    people.push({ n, participantId: idOf(n), type, school, cohort, registeredOn, validatedOn, contentStart });
  }

  const mentorsBy = new Map<string, Person[]>();
  for (const person of people) {
    if (person.type !== 'mentor' || person.validatedOn === null) continue;
    const group = `${person.school.urn}:${person.cohort}`;
    mentorsBy.set(group, [...(mentorsBy.get(group) ?? []), person]);
  }
  const tutorOf = (school: PlannedSchool) => people[schools.indexOf(school)];

  for (const person of people) {
    const steps = new PersonSteps(person, actions);
    const [firstName, lastName] = [pick(FIRST_NAMES), pick(LAST_NAMES)];
    const type = person.type === 'ect' ? 'RegisterECT' : person.type === 'mentor' ? 'RegisterMentor' : 'RegisterInductionTutor';
    actions.push({
      kind: 'registration',
      key: `${person.n}:register`,
      day: person.registeredOn,
      role: 'induction-tutor',
      participantId: person.participantId,
      input: {
        type,
        firstName,
        lastName,
        dateOfBirth: isoDay(epochDay(LocalDate.of(1965, 1, 1)) + between(0, 12_000)),
        trn: String(1_000_000 + person.n),
        email: `${firstName}.${lastName}.${person.n}@school-${person.school.urn}.example.org`.toLowerCase(),
        schoolUrn: person.school.urn,
        cohort: person.cohort,
      },
    });
    if (person.validatedOn === null) {
      steps.add(person.registeredOn + between(1, 6), 'system', { type: 'RecordDataValidation', outcome: 'failed', reasons: ['The TRN and date of birth do not match DfE’s records.'], reasonCodes: ['trn-date-of-birth-mismatch'] });
      continue;
    }
    steps.add(person.validatedOn, 'system', { type: 'RecordDataValidation', outcome: 'validated', reasons: [] });
    if (random() < 0.96) {
      const submitted = person.validatedOn + between(0, 10);
      steps.add(submitted, 'system', { type: 'SubmitSteplabAccessForm' });
      if (random() < 0.93) steps.add(submitted + between(0, 1), 'system', { type: 'GrantSteplabAccess' });
    }
    if (person.type === 'induction-tutor') continue;

    if (person.type === 'ect') {
      const mentors = mentorsBy.get(`${person.school.urn}:${person.cohort}`) ?? [];
      const mentor = mentors.length > 0 ? pick(mentors) : tutorOf(person.school);
      if (mentor.validatedOn !== null) steps.add(Math.max(person.validatedOn, mentor.registeredOn) + between(1, 10), 'induction-tutor', { type: 'MatchMentor', mentorId: mentor.participantId });
    }
    const modules = curriculum[person.type].filter((item) => item.kind === 'module').map((item) => item.code);
    planLifecycle(person, steps, modules, { random, pick, between, schools });
  }

  const inWindow = actions.filter((action) => action.day <= LAST);
  inWindow.sort((a, b) => a.day - b.day || rank(a) - rank(b));
  return { participants, seed, schools, actions: inWindow };
}

/** Within a day: partnerships, then registrations, then everything else, each in the order planned. */
const rank = (action: PlannedAction): number => (action.kind === 'partnership' ? 0 : action.kind === 'registration' ? 1 : 2);

/** Collects one participant's steps, numbering them so each has a stable key. */
class PersonSteps {
  private count = 0;
  constructor(
    private readonly person: Person,
    private readonly actions: PlannedAction[],
  ) {}

  add(day: number, role: ActorRole, input: ParticipantCommandInput): void {
    this.actions.push({ kind: 'participant', key: `${this.person.n}:${this.count++}`, day, role, participantId: this.person.participantId, input });
  }
}

interface Draws {
  random: () => number;
  pick: <T>(items: readonly T[]) => T;
  between: (from: number, to: number) => number;
  schools: readonly PlannedSchool[];
}

/**
 * Two years of training, with at most one lifecycle episode each (shares are illustrative of a
 * lead provider's year: about one in ten ECTs paused, one in fourteen deferred, one in sixteen
 * withdrawn, one in thirty moving school). Engagement stops while a participant is away.
 */
function planLifecycle(person: Person, steps: PersonSteps, modules: readonly string[], { random, pick, between, schools }: Draws): void {
  const start = Math.max(person.contentStart, (person.validatedOn ?? person.registeredOn) + 1);
  const end = Math.min(person.contentStart + 730, LAST);
  const episode = random();
  const episodeDay = start + between(30, 600);
  /** When the participant is not training (to: Infinity when they never come back). */
  let away: { from: number; to: number } | null = null;

  if (person.type === 'ect' && episode < 0.1) {
    const resumeOn = episodeDay + between(10, 38);
    const resumes = random() < 0.85;
    steps.add(episodeDay, 'ecf-lead', { type: 'PauseECT', startDate: isoDay(episodeDay), expectedResumeDate: isoDay(episodeDay + between(14, 40)), reason: pick(PAUSE_REASONS) });
    if (resumes) steps.add(resumeOn, 'ecf-lead', { type: 'ResumeECT', resumeDate: isoDay(resumeOn) });
    away = { from: episodeDay, to: resumes ? resumeOn : Infinity };
  } else if (episode < 0.17) {
    const expected = episodeDay + between(60, 300);
    steps.add(episodeDay, 'ecf-lead', { type: person.type === 'ect' ? 'DeferECT' : 'DeferMentor', deferralDate: isoDay(episodeDay), expectedReturnDate: isoDay(expected), reason: pick(DEFERRAL_REASONS_SEEN) });
    let returnOn = expected + between(-20, 20);
    if (random() < 0.3) {
      const later = Math.min(expected + between(20, 60), episodeDay + 360);
      steps.add(episodeDay + between(20, 50), 'ecf-lead', { type: 'UpdateDeferralReturnDate', expectedReturnDate: isoDay(later) });
      returnOn = later;
    }
    if (random() < 0.7) {
      returnOn = Math.max(returnOn, episodeDay + 55);
      steps.add(returnOn, 'ecf-lead', { type: 'ReturnFromDeferral', returnDate: isoDay(returnOn) });
      away = { from: episodeDay, to: returnOn };
    } else away = { from: episodeDay, to: Infinity };
  } else if (episode < 0.23) {
    const reasons = person.type === 'ect' ? ECT_WITHDRAWAL_REASONS : MENTOR_WITHDRAWAL_REASONS;
    steps.add(episodeDay + 2, 'ecf-lead', { type: person.type === 'ect' ? 'WithdrawECT' : 'WithdrawMentor', withdrawalDate: isoDay(episodeDay), reason: pick(reasons) });
    if (random() < 0.15) {
      const reinstated = episodeDay + between(10, 30);
      steps.add(episodeDay + between(4, 8), 'ecf-lead', { type: 'RequestWithdrawalReversal', reason: 'The withdrawal was recorded for the wrong participant.' });
      steps.add(reinstated, 'dpl', { type: 'ReinstateParticipant' });
      away = { from: episodeDay, to: reinstated };
    } else away = { from: episodeDay, to: Infinity };
  } else if (episode < 0.26) {
    const moveTo = random() < 0.8 ? pick(schools).urn : String(900_000 + Math.floor(random() * 1000));
    if (moveTo !== person.school.urn) {
      steps.add(episodeDay, 'ecf-lead', { type: 'ChangeSchool', newSchoolUrn: moveTo, effectiveDate: isoDay(episodeDay), ...(moveTo.startsWith('9') ? { newSchoolRegion: pick(['south-west', 'london', 'north-west']) } : {}) });
    }
  } else if (episode < 0.27) {
    steps.add(start + between(0, 20), 'dpl', { type: 'AmendReleaseSchedule', contentStartDate: isoDay(start + between(7, 40)), reason: 'Started late after a timetable change.' });
  }

  // Engagement about every five weeks, and the module the participant is on, while they are in training.
  let module = 0;
  let conference = 0;
  for (let day = start + between(3, 30); day <= end; day += between(21, 49)) {
    if (away !== null && day >= away.from && day <= away.to) continue;
    const kind = pick(ENGAGEMENT_KINDS);
    steps.add(day, 'system', { type: 'RecordEngagement', kind, occurredOn: isoDay(day), reference: null });
    if (random() < 0.6 && module < modules.length) steps.add(day, 'system', { type: 'RecordModuleAccess', moduleCode: modules[module++], accessedAt: `${isoDay(day)}T09:30:00.000Z` });
    if (kind === 'conference' && conference < 3) steps.add(day, 'system', { type: 'RecordAttendance', eventCode: `conference-${++conference}`, attendedOn: isoDay(day) });
  }
}
