import { CheckpointWithLag, judgeConsumers, ReadinessBounds } from './readiness';

const bounds: ReadinessBounds = { maxLagPositions: 100, maxLagSeconds: 30 };
const row = (overrides: Partial<CheckpointWithLag> = {}): CheckpointWithLag => ({
  name: 'participant-summary',
  generation: 1,
  version: 1,
  role: 'live',
  position: 500,
  status: 'running',
  lastError: null,
  updatedAt: '2026-01-01T00:00:00.000Z',
  lagPositions: 0,
  lagSeconds: 0,
  ...overrides,
});
const judgeOne = (rows: CheckpointWithLag[], judgedBounds = bounds) => judgeConsumers(rows, ['participant-summary'], judgedBounds)[0];

describe('readiness of consumers', () => {
  it('a running consumer within both bounds is ready', () => {
    expect(judgeOne([row({ lagPositions: 100, lagSeconds: 30 })])).toMatchObject({ ready: true, reason: null, status: 'running', position: 500 });
  });

  it('a failed consumer is not ready, with its error', () => {
    expect(judgeOne([row({ status: 'failed', lastError: 'Error: no such table' })])).toMatchObject({ ready: false, reason: 'failed: Error: no such table' });
  });

  it('a stopped consumer is not ready even when caught up', () => {
    expect(judgeOne([row({ status: 'stopped' })])).toMatchObject({ ready: false, reason: expect.stringContaining('stopped') });
  });

  it('a consumer more positions behind than the bound is not ready', () => {
    expect(judgeOne([row({ lagPositions: 101 })])).toMatchObject({ ready: false, reason: expect.stringContaining('101 positions behind') });
  });

  it('a consumer whose oldest unhandled event waited longer than the bound is not ready', () => {
    expect(judgeOne([row({ lagPositions: 1, lagSeconds: 31 })])).toMatchObject({ ready: false, reason: expect.stringContaining('31 s') });
  });

  it('without a bound on positions (EventStoreDB) only the seconds count', () => {
    expect(judgeOne([row({ lagPositions: 10_000_000 })], { maxLagPositions: null, maxLagSeconds: 30 })).toMatchObject({ ready: true });
  });

  it('an expected consumer with no checkpoint has never run: not ready', () => {
    expect(judgeConsumers([], ['policy:mentor-cascade'], bounds)).toEqual([expect.objectContaining({ name: 'policy:mentor-cascade', ready: false, status: 'missing' })]);
  });

  it('lag unknown (the event store did not answer) is judged on status alone', () => {
    expect(judgeOne([row({ lagPositions: null, lagSeconds: null })])).toMatchObject({ ready: true, lagPositions: null });
  });

  it('a live generation frozen by a version change is ready while the new version builds beside it', () => {
    const judged = judgeOne([row({ status: 'stopped', lagPositions: 5000 }), row({ role: 'building', generation: 2, version: 2, position: 10, lagPositions: 5490 })]);
    expect(judged).toMatchObject({ ready: true, reason: expect.stringContaining('builds beside it'), building: { generation: 2, status: 'running' } });
  });

  it('a failed rebuild lifts that exception, and never counts against a running live generation', () => {
    const failedBuild = row({ role: 'building', generation: 2, version: 2, status: 'failed', lastError: 'Error: boom' });
    expect(judgeOne([row({ status: 'stopped' }), failedBuild])).toMatchObject({ ready: false });
    expect(judgeOne([row(), failedBuild])).toMatchObject({ ready: true, building: { status: 'failed', lastError: 'Error: boom' } });
  });
});
