import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The docs' quotes of tested code (ARCHITECTURE.md's command path) fail `npm run lint` once they drift. */
const SCRIPT = resolve(__dirname, '../../scripts/doc-code-regions.mjs');
const source = ['export function decide() {', '  // #region core', '  const state = fold();', '  return decideOn(state);', '  // #endregion core', '}', ''].join('\n');
const doc = (shown: string) => ['# Doc', '', '<!-- code: src/handler.ts#core -->', '```ts', shown, '```', ''].join('\n');

describe('scripts/doc-code-regions.mjs', () => {
  let root: string;
  const check = (...args: string[]) => spawnSync(process.execPath, [SCRIPT, ...args], { cwd: root, encoding: 'utf8' });

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'ecf-doc-regions-'));
    mkdirSync(join(root, 'src'));
    mkdirSync(join(root, 'docs'));
    writeFileSync(join(root, 'src/handler.ts'), source);
    writeFileSync(join(root, 'README.md'), '# Readme\n');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('passes when each quote equals its region, dedented', () => {
    writeFileSync(join(root, 'docs/ARCHITECTURE.md'), doc('const state = fold();\nreturn decideOn(state);'));
    expect(check().status).toBe(0);
  });

  it('fails, naming the doc line and the region, when the source changed under the quote', () => {
    writeFileSync(join(root, 'docs/ARCHITECTURE.md'), doc('const state = fold();\nreturn decideOn(state);'));
    writeFileSync(join(root, 'src/handler.ts'), source.replace('decideOn(state)', 'decideOn(state, now)'));
    const run = check();
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('docs/ARCHITECTURE.md:3: the code shown differs from src/handler.ts#core');
  });

  it('fails when the region is gone, and --write brings a drifted quote back in line', () => {
    writeFileSync(join(root, 'docs/ARCHITECTURE.md'), doc('stale'));
    execFileSync(process.execPath, [SCRIPT, '--write'], { cwd: root });
    expect(readFileSync(join(root, 'docs/ARCHITECTURE.md'), 'utf8')).toBe(doc('const state = fold();\nreturn decideOn(state);'));
    writeFileSync(join(root, 'src/handler.ts'), 'export const nothing = 1;\n');
    const run = check();
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('has no region "core"');
  });

  it('the repository’s own docs are in line with their sources', () => {
    const run = spawnSync(process.execPath, [SCRIPT], { cwd: resolve(__dirname, '../..'), encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});
