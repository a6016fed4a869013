#!/usr/bin/env node
// Keeps code shown in the docs identical to the tested source it is taken from.
// A doc quotes a region with a marker line followed by a fenced block:
//   <!-- code: libs/command-handling/src/handle-command.ts#attempt -->
//   ```ts
//   ...the lines between `// #region attempt` and `// #endregion attempt` in that file, dedented...
//   ```
// `node scripts/doc-code-regions.mjs` fails (exit 1) naming every quote that drifted or lost its
// region; `--write` rewrites the quotes from the source. Run by `npm run lint`.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

const MARKER = /^<!-- code: ([^#\s]+)#([\w-]+) -->$/;

/** The named region's lines, dedented by the indentation they share. */
export function sourceRegion(root, path, name) {
  const lines = readFileSync(join(root, path), 'utf8').split('\n');
  const start = lines.findIndex((line) => line.trim() === `// #region ${name}`);
  const end = lines.findIndex((line, index) => index > start && line.trim() === `// #endregion ${name}`);
  if (start < 0 || end < 0) throw new Error(`${path} has no region "${name}" (// #region ${name} … // #endregion ${name})`);
  const body = lines.slice(start + 1, end);
  const indent = Math.min(...body.filter((line) => line.trim() !== '').map((line) => line.length - line.trimStart().length));
  return body.map((line) => line.slice(indent)).join('\n');
}

/** Each quote in a markdown text: where its fenced block's lines are, and which region it quotes. */
function quotesIn(lines) {
  const quotes = [];
  lines.forEach((line, index) => {
    const marker = MARKER.exec(line.trim());
    if (!marker) return;
    const open = index + 1;
    const close = lines.findIndex((candidate, at) => at > open && candidate.trim() === '```');
    if (!(lines[open] ?? '').startsWith('```') || close < 0) throw new Error(`line ${index + 1}: the marker must be followed by a fenced code block`);
    quotes.push({ line: index + 1, path: marker[1], region: marker[2], open, close });
  });
  return quotes;
}

/** The problems found in the given markdown files (rewriting them when `write`); empty when every quote matches. */
export function checkDocs(root, files, { write = false } = {}) {
  const problems = [];
  for (const file of files) {
    const lines = readFileSync(file, 'utf8').split('\n');
    let changed = false;
    for (const quote of quotesIn(lines).reverse()) {
      const where = `${relative(root, file)}:${quote.line}`;
      let wanted;
      try {
        wanted = sourceRegion(root, quote.path, quote.region);
      } catch (error) {
        problems.push(`${where}: ${error.message}`);
        continue;
      }
      const shown = lines.slice(quote.open + 1, quote.close).join('\n');
      if (shown === wanted) continue;
      if (write) {
        lines.splice(quote.open + 1, quote.close - quote.open - 1, ...wanted.split('\n'));
        changed = true;
      } else {
        problems.push(`${where}: the code shown differs from ${quote.path}#${quote.region} (run node scripts/doc-code-regions.mjs --write)`);
      }
    }
    if (changed) writeFileSync(file, lines.join('\n'));
  }
  return problems;
}

function markdownFiles(root) {
  const docs = readdirSync(join(root, 'docs'), { recursive: true }).filter((name) => String(name).endsWith('.md')).map((name) => join(root, 'docs', String(name)));
  return [join(root, 'README.md'), ...docs];
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = process.cwd();
  const problems = checkDocs(root, markdownFiles(root), { write: process.argv.includes('--write') });
  for (const problem of problems) console.error(problem);
  process.exit(problems.length === 0 ? 0 : 1);
}
