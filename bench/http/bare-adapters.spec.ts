import { fasterBareApp } from './bare-adapters';

describe('fasterBareApp: the baseline of a route is the faster bare app in the same run', () => {
  const express = { requestsPerSecond: 4_400, serverCpuMsPerRequest: 0.155 };
  const fastify = { requestsPerSecond: 11_400, serverCpuMsPerRequest: 0.056 };

  it('takes the faster adapter and keeps both figures', () => {
    const baseline = fasterBareApp('POST /bare/:id/commands', { express, fastify });
    expect(baseline).toEqual({ route: 'POST /bare/:id/commands', adapter: 'fastify', ...fastify, bareApps: { express, fastify } });
  });

  it('takes Express when it is the faster, so a slow Fastify run cannot lower the bar', () => {
    const slowFastify = { ...fastify, requestsPerSecond: 3_000 };
    expect(fasterBareApp('GET /bare/:id', { express, fastify: slowFastify })).toMatchObject({ adapter: 'express', requestsPerSecond: 4_400 });
  });
});
