/**
 * Reading the README's shell blocks as a newcomer would copy them: the blocks marked `<!-- walkthrough -->`
 * run in order in one shell; the others (set-up, a CSV import of a file of one's own) are left to the reader.
 */

export const WALKTHROUGH_MARKER = '<!-- walkthrough -->';

export interface ShellBlock {
  /** 1-based line of the opening fence, to point at the README when a block fails. */
  readonly line: number;
  readonly text: string;
  readonly walkthrough: boolean;
  /** The `## ` heading the block sits under. */
  readonly section: string;
}

export function shellBlocks(markdown: string): ShellBlock[] {
  const lines = markdown.split('\n');
  const blocks: ShellBlock[] = [];
  let section = '';
  for (let index = 0; index < lines.length; index += 1) {
    if (lines[index].startsWith('## ')) section = lines[index].slice(3).trim();
    if (lines[index].trim() !== '```sh') continue;
    const end = lines.findIndex((line, at) => at > index && line.trim() === '```');
    if (end < 0) throw new Error(`README line ${index + 1}: a sh block is never closed`);
    const previous = lines.slice(0, index).reverse().find((line) => line.trim() !== '');
    blocks.push({ line: index + 1, text: lines.slice(index + 1, end).join('\n'), walkthrough: previous?.trim() === WALKTHROUGH_MARKER, section });
    index = end;
  }
  return blocks;
}

/** What a README comment promises about a call: `# refused: 422 PAUSE_TOO_LONG`. */
export interface Refusal {
  readonly status: number;
  readonly code: string;
}

export interface CurlCall {
  /** The command as one line (backslash continuations joined). */
  readonly command: string;
  /** `-f` (or `--fail`): curl itself exits non-zero on a 4xx or 5xx answer. */
  readonly failsOnHttpError: boolean;
  readonly refusal: Refusal | null;
}

const REFUSAL = /#\s*refused:\s*(\d{3})\s+([A-Z][A-Z_]+)/;

/** Splits off a trailing `# comment` (one preceded by white space, as the README writes them). */
function withoutComment(command: string): { code: string; comment: string } {
  const at = command.search(/\s#\s/);
  return at < 0 ? { code: command, comment: '' } : { code: command.slice(0, at), comment: command.slice(at) };
}

export function curlCalls(script: string): CurlCall[] {
  const logical = script.replace(/\\\n\s*/g, ' ').split('\n');
  return logical
    .filter((command) => /(^|[\s($])curl\s/.test(withoutComment(command).code))
    .map((command) => {
      const { code, comment } = withoutComment(command);
      const refused = REFUSAL.exec(comment);
      return {
        command,
        failsOnHttpError: code.split(/\s+/).some((word) => word === '--fail' || /^-[a-zA-Z]*f[a-zA-Z]*$/.test(word)),
        refusal: refused ? { status: Number(refused[1]), code: refused[2] } : null,
      };
    });
}

/** The marked blocks as one script, stopping at the first command that fails (a pipe's too) or an unset variable. */
export function walkthroughScript(blocks: readonly ShellBlock[]): string {
  return ['set -euo pipefail', ...blocks.filter((block) => block.walkthrough).map((block) => `# README line ${block.line} (${block.section})\n${block.text}`)].join('\n\n');
}
