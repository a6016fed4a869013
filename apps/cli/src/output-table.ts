import Table from 'cli-table3';

/** Colours (red headings, grey borders) on a terminal only, and never with NO_COLOR set. */
export const colourOutput = (): boolean => Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;

/**
 * A table for stdout. cli-table3 colours its headings and borders whatever the output is, so a table
 * piped to a file or another program would carry escape codes; off a terminal it is plain text.
 */
export function outputTable(options: Table.TableConstructorOptions): Table.Table {
  return new Table(colourOutput() ? options : { ...options, style: { ...options.style, head: [], border: [] } });
}
