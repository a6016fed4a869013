#!/usr/bin/env node
// `npm run start:dev`: the API restarted on every successful compile, for working on the code.
// tsc's watch mode recompiles only what changed; its output still needs tsc-alias (our @ecf/* imports),
// so the API restarts once both are done, never on a half-written dist/. The console's TypeScript is
// watched beside it and served from dist/console as it compiles (reload the page).
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');
const tscAlias = join(dirname(require.resolve('tsc-alias/package.json')), 'dist', 'bin', 'index.js');
const apiEntry = join(root, 'dist', 'apps', 'api', 'src', 'main.js');

const children = new Set();
const run = (args, options = {}) => {
  const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit', ...options });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
};
const finished = (child) => new Promise((resolve) => child.once('exit', (code) => resolve(code)));

let api = null;
let passes = Promise.resolve();
/**
 * tsc emits even when it finds errors, so dist/ is completed by tsc-alias after every pass (the CLI and the
 * e2e tests run from it too); the API restarts only on a clean pass and otherwise keeps running as it was.
 */
function afterCompile(clean) {
  passes = passes.then(async () => {
    if ((await finished(run([tscAlias, '-p', 'tsconfig.build.json']))) !== 0) return console.error('start:dev: tsc-alias failed; waiting for the next change');
    if (!clean) return;
    if (api && api.exitCode === null && api.signalCode === null) {
      const stopped = finished(api);
      api.kill('SIGTERM');
      await stopped;
    }
    api = run([apiEntry]);
  });
}

mkdirSync(join(root, 'dist', 'console'), { recursive: true });
cpSync(join(root, 'apps', 'console', 'static'), join(root, 'dist', 'console'), { recursive: true });
run([tsc, '-p', 'apps/console/tsconfig.json', '--watch', '--preserveWatchOutput']);

const compiler = run([tsc, '-p', 'tsconfig.build.json', '--watch', '--preserveWatchOutput'], { stdio: ['ignore', 'pipe', 'inherit'] });
compiler.stdout.on('data', (chunk) => {
  const text = chunk.toString();
  process.stdout.write(text);
  // tsc ends each pass with "Found N errors. Watching for file changes."
  const pass = /Found (\d+) errors?\. Watching for file changes\./.exec(text);
  if (pass) afterCompile(pass[1] === '0');
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, async () => {
    const all = [...children];
    for (const child of all) child.kill('SIGTERM');
    await Promise.all(all.map(finished));
    process.exit(0);
  });
}
