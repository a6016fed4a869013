import { Command, InvalidArgumentError } from 'commander';
import { v5 as uuidv5 } from 'uuid';
import { handleParticipantCommand } from '@ecf/command-handling';
import { ErasePersonalData, UUID_PATTERN } from '@ecf/domain';
import { configuredDecisionContext, loadConfig, openEventStore, openPersonalDataVault, systemClock } from '@ecf/runtime';

const FORGET_NAMESPACE = '5d0f7a3c-8e21-4b6a-9f4d-2c7e1b9a0e55';

const parseUuid = (value: string): string => {
  if (!UUID_PATTERN.test(value)) throw new InvalidArgumentError('a participant id is a UUID');
  return value.toLowerCase();
};

/**
 * `ecf forget --participant ID --reason TEXT`: UK GDPR erasure. Records PersonalDataErased (who, when,
 * why — the audit trail keeps the fact of the erasure), then destroys the participant's key, after
 * which their details read as null everywhere while the history still replays and verifies. Safe to
 * run again: the command id derives from the participant, and a destroyed key stays destroyed.
 */
export function forgetCommand(): Command {
  return new Command('forget')
    .description('Erase a participant’s personal details (UK GDPR): destroy their key; the history stays')
    .requiredOption('--participant <id>', 'the participant’s id', parseUuid)
    .requiredOption('--reason <text>', 'why, e.g. the erasure request’s reference')
    .option('--json', 'print JSON')
    .action(async (options: { participant: string; reason: string; json?: boolean }) => {
      const config = loadConfig();
      // DATA_DIR's key file on the embedded store; PostgreSQL in server mode, where the destroyed key is
      // gone for every host at once (keys are looked up on every read, never cached: ADR 0013).
      const vault = await openPersonalDataVault(config);
      const store = await openEventStore(config, vault);
      try {
        const commandId = uuidv5(`forget:${options.participant}`, FORGET_NAMESPACE);
        const command: ErasePersonalData = { type: 'ErasePersonalData', data: { participantId: options.participant, reason: options.reason } };
        const outcome = await handleParticipantCommand(
          store,
          options.participant,
          () => command,
          { commandId, correlationId: commandId, causationId: commandId, actor: { id: 'cli:forget', role: 'admin' }, reason: options.reason },
          configuredDecisionContext(config),
        );
        await vault.destroy(options.participant, systemClock());
        const result = { participantId: options.participant, erasedOn: outcome.state.personalDataErasedOn, revision: outcome.revision, alreadyErased: outcome.events.length === 0 || outcome.replayed };
        if (options.json) console.log(JSON.stringify(result));
        else console.log(`${result.alreadyErased ? 'Already erased' : 'Erased'}: participant ${result.participantId}'s personal details (on ${result.erasedOn}). The history stays.`);
      } finally {
        await store.close();
      }
    });
}
