import { ratioBars, ratioChartSvg } from './chart';

describe('the bench chart', () => {
  const results = [
    { name: 'command throughput, SQLite (RecordEngagement)', rateRatioToBaseline: 0.42, target: '≥ 0.5 × the raw one-row-commit rate' },
    { name: 'rebuild <all> & more', rateRatioToBaseline: 0.61, target: '≥ 0.5 × raw scan' },
    { name: 'report', seconds: 12 },
    { name: 'without the cache', rateRatioToBaseline: 0.3 },
    { name: 'HTTP API (autocannon)', command: { throughputRatioToBaseline: 0.2, target: '≥ 0.5 × bare NestJS' }, settings: { connections: 64 } },
  ];

  it('draws a bar for each figure with a ratio, its target from the figure’s own words, none for figures without a ratio', () => {
    expect(ratioBars(results)).toEqual([
      { label: 'command throughput, SQLite', ratio: 0.42, target: 0.5 },
      { label: 'rebuild <all> & more', ratio: 0.61, target: 0.5 },
      { label: 'without the cache', ratio: 0.3, target: null },
      { label: 'HTTP API: command', ratio: 0.2, target: 0.5 },
    ]);
  });

  it('colours a missed target apart from a met one and from a figure without a target, and escapes labels', () => {
    const svg = ratioChartSvg(ratioBars(results), 'run');
    expect(svg).toContain('rebuild &lt;all&gt; &amp; more');
    expect(svg.match(/fill="#1f4e79"/g)).toHaveLength(2);
    expect(svg.match(/fill="#2e7d32"/g)).toHaveLength(1);
    expect(svg.match(/fill="#9e9e9e"/g)).toHaveLength(1);
    expect(svg.match(/stroke="#c0392b"/g)).toHaveLength(3);
  });
});
