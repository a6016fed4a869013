import { readFileSync, writeFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { Presets, SingleBar } from 'cli-progress';
import { importRegistrations } from '../import/import-registrations';
import { exitCodeOf, renderTable, summaryLine, toCsv, toJson } from '../import/import-report';
import { readRegistrations } from '../import/read-registrations';
import { colourOutput } from '../output-table';

interface ImportCommandOptions {
  api: string;
  key?: string;
  dryRun?: boolean;
  json?: boolean;
  report?: string;
}

function parseApiUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return value;
  } catch {
    // reported below, with the rest
  }
  throw new InvalidArgumentError('the API’s base URL, e.g. http://localhost:3000');
}

function readFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`Cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function writeReport(file: string, text: string): void {
  try {
    writeFileSync(file, text);
  } catch (error) {
    throw new Error(`Cannot write the report to ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** A bar only for a person watching: never in a pipe, a log file or JSON output. */
function progressBar(enabled: boolean): { update: (done: number, total: number) => void; stop: () => void } {
  if (!enabled) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar({ stream: process.stderr, format: 'import {bar} {value}/{total} steps', clearOnComplete: true }, Presets.shades_classic);
  let started = false;
  return {
    update: (done, total) => {
      if (!started) bar.start(total, 0);
      started = true;
      bar.update(done);
    },
    stop: () => bar.stop(),
  };
}

/** `ecf import FILE`: registrations from a CSV in the DfE service's fields, through the running API. */
export function importCommand(): Command {
  return new Command('import')
    .description(
      'Register the participants in a CSV (first_name, last_name, date_of_birth, trn, email, school_urn, type, cohort, mentor_trn?) ' +
        'through the API, then match ECTs to their mentors. Exit code 0: every row accepted or already registered; ' +
        '2: some rows rejected; 1: nothing could be done (unreadable file, API unreachable, key refused).',
    )
    .argument('<file>', 'the CSV file, with a header row')
    .requiredOption('--api <url>', 'the API’s base URL, e.g. http://localhost:3000', parseApiUrl)
    .option('--key <key>', 'an API key (default: the ECF_API_KEY environment variable, which keeps it out of the process list)')
    .option('--dry-run', 'ask the API what each command would do, and write nothing')
    .option('--json', 'print the report as JSON')
    .option('--report <file>', 'also write the report as CSV to this file')
    .action(async (file: string, options: ImportCommandOptions) => {
      const apiKey = options.key ?? process.env.ECF_API_KEY;
      if (!apiKey) throw new Error('No API key: pass --key or set ECF_API_KEY.');
      const { rows, ignoredColumns } = readRegistrations(readFile(file));
      if (ignoredColumns.length > 0) console.error(`Ignoring unknown column${ignoredColumns.length > 1 ? 's' : ''}: ${ignoredColumns.join(', ')}`);

      // A report that cannot be written should stop the run before anything is sent, not after.
      if (options.report) writeReport(options.report, '');
      const dryRun = options.dryRun ?? false;
      const bar = progressBar(Boolean(process.stderr.isTTY) && !options.json);
      let entries;
      try {
        entries = await importRegistrations(rows, { apiUrl: options.api, apiKey, dryRun, onProgress: bar.update });
      } finally {
        bar.stop();
      }

      if (options.json) console.log(toJson(entries, dryRun));
      else console.log(`${renderTable(entries, colourOutput())}\n${summaryLine(entries, dryRun)}`);
      if (options.report) writeReport(options.report, toCsv(entries));
      process.exitCode = exitCodeOf(entries);
    });
}
