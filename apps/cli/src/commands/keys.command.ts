import { Command, InvalidArgumentError, Option } from 'commander';
import { URN_PATTERN } from '@ecf/domain';
import { ApiKeyStore, loadConfig, loadProgrammeData, openApiKeyStore, Role, ROLES, systemClock } from '@ecf/runtime';
import { outputTable } from '../output-table';

function parseUrn(value: string, previous: string[] = []): string[] {
  if (!URN_PATTERN.test(value)) throw new InvalidArgumentError('a school URN is exactly 6 digits');
  return [...previous, value];
}

/** The configured key store: DATA_DIR's file on the embedded store, PostgreSQL in server mode. */
async function withKeyStore<T>(action: (store: ApiKeyStore) => Promise<T>): Promise<T> {
  const store = await openApiKeyStore(loadConfig());
  try {
    return await action(store);
  } finally {
    await store.close();
  }
}

/** `ecf keys create|list|revoke`: API keys are created here and shown once; only their hash is kept. */
export function keysCommand(): Command {
  const keys = new Command('keys').description('Manage API keys (stored hashed: under DATA_DIR, or in PostgreSQL in server mode)');

  keys
    .command('create')
    .description('Create an API key and print it once')
    .addOption(new Option('--role <role>', 'the key’s role').choices(ROLES).makeOptionMandatory())
    .requiredOption('--name <name>', 'who or what holds the key')
    .option('--school <urn>', 'a school an induction tutor acts for (repeatable)', parseUrn)
    .option('--delivery-partner <id>', 'the delivery partner an ECF Lead acts for')
    .option('--json', 'print JSON')
    .action(async (options: { role: Role; name: string; school?: string[]; deliveryPartner?: string; json?: boolean }) => {
      const schools = options.school ?? [];
      if (options.role === 'induction-tutor' && schools.length === 0) throw new InvalidArgumentError('an induction-tutor key needs at least one --school <urn> (the school’s 6-digit URN; repeat it for each school)');
      if (options.role === 'ecf-lead') {
        const partners = loadProgrammeData(loadConfig().programmeFile).deliveryPartners.map((partner) => partner.id);
        if (!options.deliveryPartner) throw new InvalidArgumentError(`an ecf-lead key needs --delivery-partner <id>, one of: ${partners.join(', ')}`);
        if (!partners.includes(options.deliveryPartner)) throw new InvalidArgumentError(`unknown delivery partner "${options.deliveryPartner}"; use one of: ${partners.join(', ')}`);
      }
      const { token, record } = await withKeyStore((store) =>
        store.create({ name: options.name, role: options.role, schoolUrns: schools, deliveryPartnerId: options.deliveryPartner ?? null }, systemClock()),
      );
      if (options.json) console.log(JSON.stringify({ ...record, token }));
      else console.log(`Created ${record.role} key ${record.keyId} for ${record.name}. It is shown only now:\n\n${token}\n`);
    });

  keys
    .command('list')
    .description('List API keys (never their secrets)')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const records = await withKeyStore((store) => store.list());
      if (options.json) return console.log(JSON.stringify(records, null, 2));
      const table = outputTable({ head: ['key id', 'name', 'role', 'schools', 'delivery partner', 'created', 'revoked'] });
      for (const record of records) {
        table.push([record.keyId, record.name, record.role, record.schoolUrns.join(' '), record.deliveryPartnerId ?? '', record.createdAt, record.revokedAt ?? '']);
      }
      console.log(table.toString());
    });

  keys
    .command('revoke')
    .description('Revoke an API key at once')
    .argument('<keyId>', 'the key id shown by `keys list`')
    .action(async (keyId: string) => {
      const revoked = await withKeyStore((store) => store.revoke(keyId, systemClock()));
      if (!revoked) {
        console.error(`No active key ${keyId}: \`ecf keys list\` shows every key and whether it is revoked.`);
        process.exitCode = 1;
        return;
      }
      console.log(`Revoked ${keyId}.`);
    });

  return keys;
}
