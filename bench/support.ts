import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { serialize } from 'node:v8';
import { CommandEnvelope } from '@ecf/command-handling';
import { DecisionContext, RecordEngagement, RegisterECT } from '@ecf/domain';
import { loadProgrammeData, projectRoot } from '@ecf/runtime';
import { seededRandom } from '../apps/cli/src/seed/seed-plan';

/** Shared by the benchmark modules: timing, percentiles and the commands they issue. */
export type BenchFigure = Record<string, unknown>;

export const seconds = (startNs: bigint): number => Number(process.hrtime.bigint() - startNs) / 1e9;
export const round = (value: number, digits = 1): number => Number(value.toFixed(digits));

/** The value below which `fraction` of the samples fall (nearest rank). */
export function percentile(samples: readonly number[], fraction: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))];
}

export const latencySummary = (millis: readonly number[]) => ({ samples: millis.length, p50Ms: round(percentile(millis, 0.5), 3), p99Ms: round(percentile(millis, 0.99), 3) });

/** Times `work` once per item and returns the milliseconds of each. */
export async function timeEach<T>(items: readonly T[], work: (item: T) => Promise<unknown> | unknown): Promise<number[]> {
  const millis: number[] = [];
  for (const item of items) {
    const started = process.hrtime.bigint();
    await work(item);
    millis.push(seconds(started) * 1000);
  }
  return millis;
}

export const PROGRAMME_FILE = join(projectRoot(), 'config', 'programme.json');
export const programme = loadProgrammeData(PROGRAMME_FILE);
export const benchContext: () => DecisionContext = () => ({ now: '2026-11-02T10:00:00.000Z', today: '2026-11-02', programme });

export const benchEnvelope = (): CommandEnvelope => {
  const id = randomUUID();
  return { commandId: id, correlationId: id, causationId: id, actor: { id: 'bench', role: 'system' } };
};

export const BENCH_SCHOOL = { urn: '100001', partnerships: { 2026: 'dp-north' } };

export const registerEct = (participantId: string, index: number): RegisterECT => ({
  type: 'RegisterECT',
  data: {
    participantId, firstName: 'Bench', lastName: `Teacher ${index}`, dateOfBirth: '1995-01-01', trn: String(2_000_000 + index),
    email: `bench${index}@example.org`, schoolUrn: BENCH_SCHOOL.urn, cohort: 2026, school: BENCH_SCHOOL,
  },
});

/** The one-event command every throughput figure issues: an engagement on a registered participant. */
export const recordEngagement = (participantId: string): RecordEngagement => ({
  type: 'RecordEngagement',
  data: { participantId, kind: 'self-study', occurredOn: '2026-11-01', reference: null },
});

/** `count` distinct numbers below `below`, the same for the same seed. */
export function seededSample(count: number, below: number, seed: number): number[] {
  const next = seededRandom(seed);
  const chosen = new Set<number>();
  while (chosen.size < Math.min(count, below)) chosen.add(Math.floor(next() * below));
  return [...chosen];
}

/** A value's size as V8 serialises it: an estimate of what it holds in memory (the heap's own layout differs). */
export const v8Size = (value: unknown): number => (value === undefined ? 0 : serialize(value).length);
