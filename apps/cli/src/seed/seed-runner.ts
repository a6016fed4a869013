import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { CommandEnvelope, handleParticipantCommand, handleSchoolCommand, mentorCascadePolicy, participantCommandExecutor, PolicyRunner } from '@ecf/command-handling';
import {
  DomainError,
  initialParticipantState,
  isRejection,
  participantDecider,
  ProgrammeData,
  RegisterParticipant,
} from '@ecf/domain';
import { EventStore } from '@ecf/event-store';
import { Checkpoints, ReadModelDatabase } from '@ecf/projections';
import {
  completeParticipantCommand,
  decisionContextFactory,
  mentorFactsOf,
  newSchoolFactsOf,
  readParticipant,
  readSchool,
  schoolFactsOf,
  TrnClaims,
} from '@ecf/runtime';
import { isoDay, PlannedAction, seedCommandId, SeedPlan } from './seed-plan';

/** What survives an interruption: where the seed got to, and what it has counted so far. */
export interface SeedProgress {
  readonly seed: number;
  readonly participants: number;
  /** Index in the plan of the first action not known to be done. */
  readonly nextAction: number;
  readonly written: number;
  readonly rejected: Record<string, number>;
}

export interface SeedSummary extends SeedProgress {
  readonly actions: number;
  readonly schools: number;
  /** Commands found already in the store when resuming (recognised by command id, nothing written). */
  readonly replayed: number;
  readonly seconds: number;
  readonly headPosition: number;
}

export interface SeedRunnerOptions {
  readonly progressFile: string;
  /** Called after each action with the number done and the simulated day. */
  readonly onProgress?: (done: number, day: string) => void;
  /**
   * false when a running API or projector follows the store (`--force`): its policies cascade the seed's
   * commands as they do the API's, and a second runner of the same policy here would only race them.
   */
  readonly runCascades?: boolean;
}

const SAVE_EVERY = 1_000;

/**
 * Issues a seed plan through the real command path: the deciders, the TRN claims and the store the
 * apps use, with the decision clock set to each action's day. The mentor cascade policy runs beside
 * it, caught up at the end of every simulated day, so cascades are issued as they would be in service.
 */
export class SeedRunner {
  private simulatedNow = '';
  private readonly context: ReturnType<typeof decisionContextFactory>;
  private readonly trnClaims: TrnClaims;
  private readonly checkpoints: Checkpoints;

  constructor(
    private readonly store: EventStore,
    private readonly readModels: ReadModelDatabase,
    programme: ProgrammeData,
    private readonly plan: SeedPlan,
    private readonly options: SeedRunnerOptions,
  ) {
    this.context = decisionContextFactory(() => this.simulatedNow, programme);
    this.trnClaims = new TrnClaims(store, this.context);
    this.checkpoints = new Checkpoints(readModels);
  }

  async run(): Promise<SeedSummary> {
    const started = process.hrtime.bigint();
    let progress = this.loadProgress();
    let replayed = 0;
    let doneThisRun = 0;
    const { actions } = this.plan;
    for (let index = progress.nextAction; index < actions.length; index += 1) {
      const action = actions[index];
      this.simulatedNow = `${isoDay(action.day)}T12:00:00.000Z`;
      const outcome = await this.issue(action);
      if (outcome === 'replayed') replayed += 1;
      else if (outcome === 'written') progress = { ...progress, written: progress.written + 1 };
      else progress = { ...progress, rejected: { ...progress.rejected, [outcome.code]: (progress.rejected[outcome.code] ?? 0) + 1 } };
      progress = { ...progress, nextAction: index + 1 };
      doneThisRun += 1;
      const endOfDay = index + 1 === actions.length || actions[index + 1].day !== action.day;
      if (endOfDay) await this.runCascades();
      if (endOfDay || doneThisRun % SAVE_EVERY === 0) this.saveProgress(progress);
      this.options.onProgress?.(index + 1, isoDay(action.day));
    }
    await this.runCascades();
    this.saveProgress(progress);
    return {
      ...progress,
      actions: this.plan.actions.length,
      schools: this.plan.schools.length,
      replayed,
      seconds: Number(process.hrtime.bigint() - started) / 1e9,
      headPosition: await this.store.headPosition(),
    };
  }

  /**
   * The mentor cascade policy, caught up at the end of each simulated day: in service it follows within
   * moments; here always at the day's end, so a seed's history does not depend on timing.
   */
  private async runCascades(): Promise<void> {
    if (this.options.runCascades === false) return;
    const policy = new PolicyRunner(this.store, this.readModels, mentorCascadePolicy, participantCommandExecutor(this.store, this.context), this.checkpoints);
    await policy.start();
    try {
      await policy.waitUntilCaughtUp(await this.store.headPosition());
    } finally {
      await policy.stop();
    }
  }

  /** One planned action as the API would carry it out; a rule's refusal is counted, any other failure stops the seed. */
  private async issue(action: PlannedAction): Promise<'written' | 'replayed' | DomainError> {
    const commandId = seedCommandId(this.plan.seed, this.plan.participants, action.key);
    const envelope: CommandEnvelope = { commandId, correlationId: commandId, causationId: commandId, actor: { id: `seed:${action.role}`, role: action.role } };
    try {
      const outcome = await this.execute(action, envelope);
      return outcome.replayed ? 'replayed' : 'written';
    } catch (error) {
      if (error instanceof DomainError) return error;
      throw error;
    }
  }

  private async execute(action: PlannedAction, envelope: CommandEnvelope): Promise<{ replayed: boolean }> {
    switch (action.kind) {
      case 'partnership': {
        const { school, cohort } = action;
        return handleSchoolCommand(this.store, school.urn, () => ({ type: 'RegisterSchoolPartnership', data: { ...school, cohort } }), envelope, this.context);
      }
      case 'registration': {
        const { type, trn, ...input } = action.input;
        const school = schoolFactsOf(await readSchool(this.store, input.schoolUrn));
        const command = { type, data: { ...input, trn: trn ?? null, participantId: action.participantId, school } } as RegisterParticipant;
        // As on the API: decide first, so a refused registration claims no TRN.
        const preview = participantDecider.decide(command, initialParticipantState(), this.context());
        if (isRejection(preview)) throw preview;
        if (trn) await this.trnClaims.claim(trn, action.participantId, envelope);
        return handleParticipantCommand(this.store, action.participantId, () => command, envelope, this.context);
      }
      case 'participant':
        return handleParticipantCommand(
          this.store,
          action.participantId,
          () =>
            completeParticipantCommand(action.participantId, action.input, {
              byDpl: action.role === 'dpl',
              mentor: async (mentorId) => mentorFactsOf(mentorId, await readParticipant(this.store, mentorId)),
              newSchool: async (urn) => newSchoolFactsOf(await readSchool(this.store, urn)),
            }),
          envelope,
          this.context,
        );
    }
  }

  private loadProgress(): SeedProgress {
    const fresh: SeedProgress = { seed: this.plan.seed, participants: this.plan.participants, nextAction: 0, written: 0, rejected: {} };
    if (!existsSync(this.options.progressFile)) return fresh;
    const saved = JSON.parse(readFileSync(this.options.progressFile, 'utf8')) as SeedProgress;
    if (saved.seed !== this.plan.seed || saved.participants !== this.plan.participants) {
      throw new Error(
        `This store was seeded with --participants ${saved.participants} --seed ${saved.seed}; resume with those, or seed an empty store (${this.options.progressFile}).`,
      );
    }
    return saved;
  }

  /** Written beside, then renamed: a crash leaves the previous progress, never half a file. */
  private saveProgress(progress: SeedProgress): void {
    const temporary = `${this.options.progressFile}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(progress)}\n`);
    renameSync(temporary, this.options.progressFile);
  }
}
