import { BenchFigure } from './support';

/** One bar of the chart: a figure's rate as a fraction of its baseline's, and the fraction it aims at. */
export interface RatioBar {
  readonly label: string;
  readonly ratio: number;
  readonly target: number | null;
}

const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The target's fraction as the figure states it ("≥ 0.5 × …"), or null when it names none. */
const targetOf = (figure: BenchFigure): number | null => {
  const match = /≥\s*([0-9.]+)\s*×/.exec(String(figure.target ?? ''));
  return match ? Number(match[1]) : null;
};

const ratioOf = (figure: BenchFigure): number | null =>
  typeof figure.rateRatioToBaseline === 'number' ? figure.rateRatioToBaseline : typeof figure.throughputRatioToBaseline === 'number' ? figure.throughputRatioToBaseline : null;

const isFigure = (value: unknown): value is BenchFigure => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Every figure of a run that has a ratio to a baseline, labelled by its name up to the first parenthesis;
 * a section's own figures one level down (the HTTP section's command, participant, list, feed) by section
 * and key.
 */
export function ratioBars(results: readonly BenchFigure[]): RatioBar[] {
  return results.flatMap((figure) => {
    const label = String(figure.name).split(' (')[0];
    const own = ratioOf(figure);
    const nested = Object.entries(figure)
      .filter((entry): entry is [string, BenchFigure] => isFigure(entry[1]) && ratioOf(entry[1]) !== null)
      .map(([key, inner]) => ({ label: `${label}: ${key}`, ratio: ratioOf(inner) as number, target: targetOf(inner) }));
    return [...(own === null ? [] : [{ label, ratio: own, target: targetOf(figure) }]), ...nested];
  });
}

/**
 * A horizontal bar per figure: its ratio to the baseline measured in the same run (1 = as fast as the raw
 * operation), with its target as a red tick, so the gaps show at a glance.
 */
export function ratioChartSvg(bars: readonly RatioBar[], title: string): string {
  const labelWidth = 520;
  const plotWidth = 360;
  const rowHeight = 26;
  const top = 48;
  const scale = Math.max(1, ...bars.map((bar) => bar.ratio));
  const x = (ratio: number) => labelWidth + (ratio / scale) * plotWidth;
  const height = top + bars.length * rowHeight + 40;
  const rows = bars.map((bar, index) => {
    const y = top + index * rowHeight;
    // Green: target met; blue: missed; grey: a figure for comparison, with no target of its own.
    const colour = bar.target === null ? '#9e9e9e' : bar.ratio >= bar.target ? '#2e7d32' : '#1f4e79';
    const target = bar.target === null ? '' : `<line x1="${x(bar.target)}" x2="${x(bar.target)}" y1="${y - 2}" y2="${y + 20}" stroke="#c0392b" stroke-width="3"/>`;
    return [
      `<text x="${labelWidth - 8}" y="${y + 14}" text-anchor="end">${escape(bar.label)}</text>`,
      `<rect x="${labelWidth}" y="${y}" width="${Math.max(1, x(bar.ratio) - labelWidth)}" height="18" fill="${colour}"/>`,
      `<text x="${x(bar.ratio) + 6}" y="${y + 14}">${bar.ratio.toFixed(2)}</text>`,
      target,
    ].join('');
  });
  const axis = [0, 0.25, 0.5, 0.75, 1]
    .filter((tick) => tick <= scale)
    .map((tick) => `<line x1="${x(tick)}" x2="${x(tick)}" y1="${top - 6}" y2="${height - 34}" stroke="#ccc"/><text x="${x(tick)}" y="${height - 18}" text-anchor="middle">${tick}</text>`);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${labelWidth + plotWidth + 60}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="10" y="20" font-size="14" font-weight="bold">${escape(title)}</text>`,
    `<text x="10" y="36" fill="#555">rate ÷ baseline rate measured in the same run (1 = as fast as the raw operation); red tick: the target; green met, blue missed, grey no target of its own</text>`,
    ...axis,
    ...rows,
    `</svg>`,
  ].join('\n');
}
