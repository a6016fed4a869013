import autocannon from 'autocannon';

export interface LoadSettings {
  readonly connections: number;
  readonly durationSeconds: number;
}

/** One endpoint under load: the n-th request's path is `path(n)`, so requests rotate over many streams. */
export interface RotatingRequest {
  readonly method: 'GET' | 'POST';
  readonly path: (n: number) => string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

export interface EndpointFigures {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly meanMs: number;
  readonly maxMs: number;
  readonly responses: number;
  readonly non2xx: number;
  readonly statusCodes: Record<string, number>;
  /** Socket errors and timeouts: requests that got no answer at all. */
  readonly errors: number;
  readonly timeouts: number;
  /** The first few non-2xx answers, to say why without rerunning. */
  readonly non2xxSamples: readonly { status: number; body: string }[];
}

const NON_2XX_SAMPLES = 3;
const round = (value: number, digits = 1): number => Number(value.toFixed(digits));

/** autocannon's result in the figures the report keeps: throughput, latency percentiles, and every failure counted. */
export function summarise(result: autocannon.Result, non2xxSamples: readonly { status: number; body: string }[] = []): EndpointFigures {
  return {
    requestsPerSecond: round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    meanMs: round(result.latency.average, 2),
    maxMs: result.latency.max,
    responses: result.requests.total,
    non2xx: result.non2xx,
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([status, stats]) => [status, stats.count ?? 0])),
    errors: result.errors,
    timeouts: result.timeouts,
    non2xxSamples,
  };
}

/** Fixed concurrency for a fixed time: `connections` keep one request each in flight, closed loop. */
export async function measureEndpoint(baseUrl: string, request: RotatingRequest, settings: LoadSettings): Promise<EndpointFigures> {
  let sent = 0;
  const samples: { status: number; body: string }[] = [];
  const result = await autocannon({
    url: baseUrl,
    connections: settings.connections,
    duration: settings.durationSeconds,
    requests: [
      {
        method: request.method,
        headers: request.headers,
        ...(request.body === undefined ? {} : { body: request.body }),
        setupRequest: (built) => ({ ...built, path: request.path(sent++) }),
        onResponse: (status, body) => {
          if ((status < 200 || status > 299) && samples.length < NON_2XX_SAMPLES) samples.push({ status, body: body.slice(0, 500) });
        },
      },
    ],
  });
  return summarise(result, samples);
}
