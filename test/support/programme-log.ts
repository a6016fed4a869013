import { LocalDate } from '@js-joda/core';
import { randomUUID } from 'node:crypto';
import { handleCommand } from '@ecf/command-handling';
import {
  Decider,
  DecisionContext,
  ENGAGEMENT_KINDS,
  Message,
  ParticipantCommand,
  participantDecider,
  ParticipantState,
  participantStreamId,
  RegisterParticipant,
  schoolDecider,
  schoolStreamId,
  trnRegistryDecider,
  trnStreamId,
} from '@ecf/domain';
import { aggregateStream, EventStore } from '@ecf/event-store';
import { configuredDecisionContext, loadConfig } from '@ecf/runtime';
import { StoreTarget } from './store-target';

export interface ProgrammeLogOptions {
  /** ECT–mentor pairs to take through the programme (about 21 events each, before cascades). */
  readonly pairs: number;
  /** TRNs are numbered from here, one per participant. */
  readonly firstTrn: number;
  readonly schools?: number;
  /** Pairs written at once (each pair's commands in order). */
  readonly concurrency?: number;
}

export interface ProgrammeLog {
  readonly commands: number;
  readonly head: number;
  /** ECT events the mentor-cascade policy must answer with exactly one command for the mentor. */
  readonly cascadingTriggers: number;
  readonly schoolUrns: readonly string[];
}

const COHORT = 2026;
const SCHOOL_URN_BASE = 300_000;

/**
 * Writes a programme's worth of history through the real command path — the deciders, handleCommand
 * and the product's store (personal details sealed, hash chains, expected revisions), as the API
 * would — without HTTP in between, so a log of tens of thousands of events takes seconds. Each pair is
 * an ECT and their own mentor: registered (TRN claimed), validated, matched, given Steplab access,
 * engaging, then one of six lifecycles. No policy runs here: the projector's mentor-cascade policy
 * finds every trigger when it first builds, so the cascades are issued while it is being killed.
 */
export async function writeProgrammeLog(target: StoreTarget, options: ProgrammeLogOptions): Promise<ProgrammeLog> {
  const { store, close } = await target.openForBulkWrites();
  const context = configuredDecisionContext(loadConfig({ ...target.env, DATA_DIR: target.dataDir }));
  try {
    const writer = new CommandWriter(store, context);
    const schoolUrns = Array.from({ length: options.schools ?? 10 }, (_, index) => String(SCHOOL_URN_BASE + index + 1));
    for (const urn of schoolUrns) {
      await writer.run(schoolDecider, schoolStreamId(urn), { type: 'RegisterSchoolPartnership', data: { urn, name: `School ${urn}`, region: 'north-west', deliveryPartnerId: 'dp-north', cohort: COHORT } });
    }
    let next = 0;
    let cascadingTriggers = 0;
    const worker = async () => {
      for (let pair = next++; pair < options.pairs; pair = next++) {
        const triggers = await writePair(writer, pair, schoolUrns[pair % schoolUrns.length], options.firstTrn + 2 * pair);
        cascadingTriggers += triggers;
      }
    };
    await Promise.all(Array.from({ length: options.concurrency ?? 8 }, worker));
    return { commands: writer.commands, head: await store.headPosition(), cascadingTriggers, schoolUrns };
  } finally {
    await close();
  }
}

class CommandWriter {
  commands = 0;

  constructor(
    private readonly store: EventStore,
    private readonly context: () => DecisionContext,
  ) {}

  get today(): LocalDate {
    return LocalDate.parse(this.context().today);
  }

  async run<State, Command, Event extends Message<string, unknown>>(
    decider: Decider<State, Command, Event>,
    streamId: string,
    command: Command | ((state: State) => Promise<Command>),
  ): Promise<void> {
    const id = randomUUID();
    const envelope = { commandId: id, correlationId: id, causationId: id, actor: { id: 'programme-log', role: 'system' as const } };
    const build = typeof command === 'function' ? (command as (state: State) => Promise<Command>) : () => command;
    await handleCommand(this.store, decider, streamId, build, envelope, this.context);
    this.commands += 1;
  }

  participant(participantId: string, command: ParticipantCommand | ((state: ParticipantState) => Promise<ParticipantCommand>)): Promise<void> {
    return this.run(participantDecider, participantStreamId(participantId), command);
  }

  /** As the API registers: the TRN claimed on its own stream, then the participant's stream. */
  async register(type: RegisterParticipant['type'], participantId: string, schoolUrn: string, trn: string): Promise<void> {
    await this.run(trnRegistryDecider, trnStreamId(trn), { type: 'ClaimTrn', data: { trn, participantId, holderHoldsTrn: false, holderClaimedAt: null } });
    const school = { urn: schoolUrn, partnerships: { [COHORT]: 'dp-north' } };
    const personal = { firstName: 'Pat', lastName: `Programme ${trn}`, dateOfBirth: '1990-01-01', email: `${trn}@example.org` };
    await this.participant(participantId, { type, data: { participantId, ...personal, trn, schoolUrn, cohort: COHORT, school } });
  }

  /** As the API matches: the mentor's facts read from the mentor's own stream. */
  async matchMentor(ectId: string, mentorId: string): Promise<void> {
    await this.participant(ectId, async () => {
      const { state } = await aggregateStream(this.store, participantDecider, participantStreamId(mentorId));
      const mentor = state.type === null || state.schoolUrn === null ? null : { participantId: mentorId, type: state.type, schoolUrn: state.schoolUrn, status: state.status };
      return { type: 'MatchMentor', data: { participantId: ectId, mentorId, mentor } };
    });
  }
}

const MODULES = ['ect-y1-m01', 'ect-y1-m02'];
const CLINICS = ['clinic-behaviour', 'clinic-instruction', 'clinic-subject', 'clinic-pastoral'];

/** One ECT and their mentor through the programme; resolves with the number of cascading triggers it wrote. */
async function writePair(writer: CommandWriter, pair: number, schoolUrn: string, trn: number): Promise<number> {
  const [mentor, ect] = [randomUUID(), randomUUID()];
  const today = writer.today;
  const day = (offset: number) => today.plusDays(offset).toString();
  await writer.register('RegisterMentor', mentor, schoolUrn, String(trn));
  await writer.register('RegisterECT', ect, schoolUrn, String(trn + 1));
  for (const participantId of [mentor, ect]) await writer.participant(participantId, { type: 'RecordDataValidation', data: { participantId, outcome: 'validated', reasons: [] } });
  await writer.matchMentor(ect, mentor);
  for (const participantId of [mentor, ect]) {
    await writer.participant(participantId, { type: 'SubmitSteplabAccessForm', data: { participantId } });
    await writer.participant(participantId, { type: 'GrantSteplabAccess', data: { participantId } });
  }
  for (const [index, participantId] of [ect, ect, mentor].entries()) {
    await writer.participant(participantId, { type: 'RecordEngagement', data: { participantId, kind: ENGAGEMENT_KINDS[(pair + index) % ENGAGEMENT_KINDS.length], occurredOn: day(-index), reference: null } });
  }
  for (const [index, moduleCode] of MODULES.entries()) {
    await writer.participant(ect, { type: 'RecordModuleAccess', data: { participantId: ect, moduleCode, accessedAt: new Date(Date.now() - (MODULES.length - index) * 60_000).toISOString() } });
  }
  for (const eventCode of [CLINICS[pair % CLINICS.length], 'conference-1']) {
    await writer.participant(ect, { type: 'RecordAttendance', data: { participantId: ect, eventCode, attendedOn: day(-1) } });
  }

  const deferral = { participantId: ect, deferralDate: day(0), expectedReturnDate: today.plusMonths(3).toString(), reason: 'career-break' as const, byDpl: false };
  switch (pair % 6) {
    case 0:
      await writer.participant(ect, { type: 'DeferECT', data: deferral });
      return 1;
    case 1:
      await writer.participant(ect, { type: 'DeferECT', data: deferral });
      await writer.participant(ect, { type: 'ReturnFromDeferral', data: { participantId: ect, returnDate: day(0) } });
      return 2;
    case 2:
      await writer.participant(ect, { type: 'WithdrawECT', data: { participantId: ect, withdrawalDate: day(0), reason: 'moved-school', byDpl: false } });
      return 1;
    case 3:
      await writer.participant(ect, { type: 'PauseECT', data: { participantId: ect, startDate: day(0), expectedResumeDate: day(14), reason: 'Short illness' } });
      await writer.participant(ect, { type: 'ResumeECT', data: { participantId: ect, resumeDate: day(0) } });
      return 0;
    case 4:
      await writer.participant(ect, { type: 'DeferECT', data: deferral });
      await writer.participant(ect, { type: 'UpdateDeferralReturnDate', data: { participantId: ect, expectedReturnDate: today.plusMonths(4).toString(), byDpl: false } });
      return 2;
    default:
      return 0;
  }
}
