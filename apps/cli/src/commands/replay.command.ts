import { Command, InvalidArgumentError } from 'commander';
import { effectiveDateOf, isCalendarDate, participantDecider, ParticipantEvent, ParticipantState, UUID_PATTERN } from '@ecf/domain';
import { toDomainEvent } from '@ecf/event-store';
import { participantAt } from '@ecf/projections';
import { loadConfig, openEventStore } from '@ecf/runtime';
import { outputTable } from '../output-table';

interface ReplayOptions {
  participant: string;
  asOf?: string;
  knownAt?: string;
  json?: boolean;
}

const parseUuid = (value: string): string => {
  if (!UUID_PATTERN.test(value)) throw new InvalidArgumentError('a participant id is a UUID');
  return value.toLowerCase();
};
const parseDate = (value: string): string => {
  if (!isCalendarDate(value)) throw new InvalidArgumentError('a real date written YYYY-MM-DD');
  return value;
};
const parseInstant = (value: string): string => {
  if (Number.isNaN(Date.parse(value)) || !/^\d{4}-\d{2}-\d{2}T/.test(value)) throw new InvalidArgumentError('an ISO-8601 instant, e.g. 2026-04-01T12:00:00Z');
  return value;
};

/** The state a reader cares about after each event, in one line per field. */
function summary(state: ParticipantState) {
  return {
    status: state.status,
    school: state.schoolUrn,
    mentor: state.mentor ? `${state.mentor.id}${state.mentor.interim ? ' (interim)' : ''}` : null,
    steplab: state.steplab.status,
    pause: state.pause ? `${state.pause.startDate} → ${state.pause.expectedResumeDate}` : null,
    deferral: state.deferral ? `${state.deferral.deferralDate} → ${state.deferral.expectedReturnDate} (${state.deferral.reason})` : null,
    withdrawal: state.withdrawal ? `${state.withdrawal.withdrawalDate} (${state.withdrawal.reason})` : null,
    contentStartDate: state.contentStartDate,
  };
}

/**
 * `ecf replay --participant ID [--as-of DATE] [--known-at INSTANT]`: the participant's stream folded
 * event by event with the decider's own evolve, printing the state after each step.
 */
export function replayCommand(): Command {
  return new Command('replay')
    .description('Replay a participant’s history event by event, showing the state after each (time axes as in the API)')
    .requiredOption('--participant <id>', 'the participant’s id', parseUuid)
    .option('--as-of <date>', 'effective axis: only events in effect on this day', parseDate)
    .option('--known-at <instant>', 'recorded axis: only events recorded by this instant', parseInstant)
    .option('--json', 'print JSON')
    .action(async (options: ReplayOptions) => {
      const store = await openEventStore(loadConfig());
      try {
        const { events } = await participantAt(store, options.participant, { asOf: options.asOf, knownAt: options.knownAt });
        if (events.length === 0) {
          console.error(`No events for participant ${options.participant}${options.asOf || options.knownAt ? ' on those time axes' : ''}.`);
          process.exitCode = 1;
          return;
        }
        let state = participantDecider.initialState();
        const steps = events.map((recorded) => {
          const event = toDomainEvent<ParticipantEvent>(recorded);
          state = participantDecider.evolve(state, event);
          return {
            revision: recorded.revision,
            recordedAt: recorded.recordedAt,
            effectiveDate: effectiveDateOf(event),
            type: recorded.type,
            actor: `${recorded.metadata.actor.role}:${recorded.metadata.actor.id}`,
            state: summary(state),
          };
        });
        if (options.json) {
          console.log(JSON.stringify({ participantId: options.participant, asOf: options.asOf, knownAt: options.knownAt, steps }, null, 2));
          return;
        }
        const table = outputTable({ head: ['rev', 'recorded', 'effective', 'event', 'by', 'then: status', 'school', 'steplab', 'pause / deferral / withdrawal'] });
        for (const step of steps) {
          const { status, school, steplab, pause, deferral, withdrawal } = step.state;
          table.push([step.revision, step.recordedAt, step.effectiveDate ?? '', step.type, step.actor, status, school ?? '', steplab, pause ?? deferral ?? withdrawal ?? '']);
        }
        console.log(table.toString());
      } finally {
        await store.close();
      }
    });
}
