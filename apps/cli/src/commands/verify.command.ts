import { Command } from 'commander';
import { readFileSync, writeFileSync } from 'node:fs';
import { loadEventSchemas } from '@ecf/event-schemas';
import { LogAnchor, verifyLog } from '@ecf/event-store';
import { loadConfig, openStorageAdapter } from '@ecf/runtime';
import { outputTable } from '../output-table';
import { findOrphanedTrnClaims } from '../verify/orphaned-trn-claims';

interface VerifyOptions {
  anchor?: string;
  exportAnchor?: string;
  json?: boolean;
}

function readAnchor(file: string): LogAnchor {
  const anchor = JSON.parse(readFileSync(file, 'utf8')) as Partial<LogAnchor>;
  if (!Number.isInteger(anchor.position) || typeof anchor.hash !== 'string' || !/^[0-9a-f]{64}$/.test(anchor.hash)) {
    throw new Error(`${file} is not an anchor exported by \`ecf verify --export-anchor\``);
  }
  return anchor as LogAnchor;
}

/**
 * `ecf verify`: tamper evidence. Walks the whole log, checks each event's hash chain and JSON Schema,
 * names the stream and revision of every finding, and exits 2 when there is any (1: could not verify).
 */
export function verifyCommand(): Command {
  return new Command('verify')
    .description('Check every event against its JSON Schema and its stream’s hash chain; exit 2 on any finding')
    .option('--anchor <file>', 'an anchor exported earlier: the log up to it must be unchanged')
    .option('--export-anchor <file>', 'write the anchor of the log as verified now (for an auditor to keep)')
    .option('--json', 'print JSON')
    .action(async (options: VerifyOptions) => {
      const schemas = loadEventSchemas();
      const anchor = options.anchor === undefined ? undefined : readAnchor(options.anchor);
      const store = await openStorageAdapter(loadConfig());
      try {
        const result = await verifyLog(store, {
          anchor,
          validate: (type, version, data) => {
            if (!schemas.types.includes(type)) return [`no schema for event type ${type}`];
            try {
              const outcome = schemas.validate(type, version, data);
              return outcome.valid ? [] : outcome.errors;
            } catch (error) {
              return [(error as Error).message];
            }
          },
        });
        const orphanedTrnClaims = await findOrphanedTrnClaims(store);
        if (options.exportAnchor) writeFileSync(options.exportAnchor, `${JSON.stringify(result.anchor, null, 2)}\n`);
        if (options.json) {
          console.log(JSON.stringify({ ...result, orphanedTrnClaims }, null, 2));
        } else {
          console.log(`Checked ${result.eventsChecked} events in ${result.streams} streams; log anchor ${result.anchor.hash} at position ${result.anchor.position}.`);
          if (result.findings.length === 0) console.log('No findings: every event matches its schema and its stream’s hash chain.');
          else {
            const table = outputTable({ head: ['stream', 'revision', 'position', 'problem', 'detail'] });
            for (const finding of result.findings) table.push([finding.streamId, finding.revision, finding.position, finding.problem, finding.detail]);
            console.log(table.toString());
          }
          if (orphanedTrnClaims.length > 0) {
            // Not tampering: claims that no longer block a registration of their TRN (see orphaned-trn-claims.ts).
            console.log(`${orphanedTrnClaims.length} TRN claim(s) held by a participant who does not hold that TRN; they do not block a registration:`);
            const table = outputTable({ head: ['TRN', 'claimed for', 'stream', 'position', 'why'] });
            for (const claim of orphanedTrnClaims) table.push([claim.trn, claim.participantId, claim.streamId, claim.position, claim.reason]);
            console.log(table.toString());
          }
        }
        process.exitCode = result.findings.length === 0 ? 0 : 2;
      } finally {
        await store.close();
      }
    });
}
