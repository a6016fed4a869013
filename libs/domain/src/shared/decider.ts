import { DomainError } from './domain-error';

/** What a decision may depend on besides the command and the state: the injected clock and programme data. */
export interface DecisionContext {
  /** The instant the command is being decided, ISO-8601 (UTC). */
  readonly now: string;
  /** Today's calendar date in Europe/London, YYYY-MM-DD. */
  readonly today: string;
  readonly programme: ProgrammeData;
}

export interface DeliveryPartner {
  readonly id: string;
  readonly name: string;
  readonly regions: readonly string[];
}

/** A face-to-face programme event: conferences are attended in order, clinics in any order (seed 004). */
export interface ProgrammeEvent {
  readonly code: string;
  readonly kind: 'conference' | 'clinic';
}

/** Reference data loaded from `config/` and validated at start. */
export interface ProgrammeData {
  readonly regions: readonly string[];
  readonly deliveryPartners: readonly DeliveryPartner[];
  /** Conferences in the order they must be attended, and clinics. */
  readonly programmeEvents: readonly ProgrammeEvent[];
  /** The module codes of each track's curriculum (config/curriculum.json): the modules the platform can report opened. */
  readonly moduleCodes: Readonly<Record<'ect' | 'mentor', readonly string[]>>;
}

/** The lead provider covers the union of its delivery partners' regions. */
export const isRegionCovered = (programme: ProgrammeData, region: string): boolean =>
  programme.deliveryPartners.some((partner) => partner.regions.includes(region));

export type Decision<Event> = Event[] | DomainError;

/** A stream's behaviour as three pure functions (no I/O, no clock). */
export interface Decider<State, Command, Event> {
  initialState(): State;
  evolve(state: State, event: Event): State;
  decide(command: Command, state: State, ctx: DecisionContext): Decision<Event>;
}

export const isRejection = <Event>(decision: Decision<Event>): decision is DomainError =>
  decision instanceof DomainError;
