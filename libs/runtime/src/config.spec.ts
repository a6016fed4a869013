import { ConfigError, loadConfig } from './config';

const problemsOf = (env: NodeJS.ProcessEnv): string[] => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('Store configuration, validated at start', () => {
  it('defaults to the embedded SQLite store with SQLite read models', () => {
    expect(loadConfig({})).toMatchObject({ eventStore: 'sqlite', readModelStore: 'sqlite', databaseUrl: null, esdbConnectionString: null });
  });

  it('puts read models in PostgreSQL by default when the events are on a server', () => {
    expect(loadConfig({ EVENT_STORE: 'postgres', DATABASE_URL: 'postgres://postgres@db:5432/ecf' })).toMatchObject({ eventStore: 'postgres', readModelStore: 'postgres' });
    expect(loadConfig({ EVENT_STORE: 'esdb', ESDB_CONNECTION_STRING: 'esdb://node1:2113?tls=false', DATABASE_URL: 'postgres://db/ecf' })).toMatchObject({ readModelStore: 'postgres' });
  });

  it('refuses an unknown store, naming the allowed values', () => {
    expect(problemsOf({ EVENT_STORE: 'mongodb' }).join()).toMatch(/EVENT_STORE must be equal to one of the allowed values/);
  });

  it('requires DATABASE_URL for PostgreSQL, and ESDB_CONNECTION_STRING for EventStoreDB, with an example', () => {
    expect(problemsOf({ EVENT_STORE: 'postgres' })).toEqual([expect.stringMatching(/DATABASE_URL is required .*postgres:\/\//)]);
    expect(problemsOf({ EVENT_STORE: 'esdb', ESDB_CONNECTION_STRING: 'esdb://node1:2113?tls=false', READ_MODEL_STORE: 'postgres' })).toEqual([expect.stringMatching(/DATABASE_URL is required/)]);
  });

  it('requires DATABASE_URL with EventStoreDB even for SQLite read models: server mode keeps the API keys and personal-data keys in PostgreSQL', () => {
    expect(problemsOf({ EVENT_STORE: 'esdb', ESDB_CONNECTION_STRING: 'esdb://node1:2113?tls=false', READ_MODEL_STORE: 'sqlite' })).toEqual([
      expect.stringMatching(/DATABASE_URL is required when EVENT_STORE=esdb and READ_MODEL_STORE=sqlite/),
    ]);
    expect(problemsOf({ EVENT_STORE: 'esdb', READ_MODEL_STORE: 'sqlite', DATABASE_URL: 'postgres://db/ecf' })).toEqual([expect.stringMatching(/ESDB_CONNECTION_STRING is required/)]);
  });

  it('refuses malformed connection strings', () => {
    expect(problemsOf({ EVENT_STORE: 'postgres', DATABASE_URL: 'mysql://db/ecf' }).join()).toMatch(/DATABASE_URL/);
    expect(problemsOf({ EVENT_STORE: 'esdb', ESDB_CONNECTION_STRING: 'http://node1:2113', READ_MODEL_STORE: 'sqlite' }).join()).toMatch(/ESDB_CONNECTION_STRING/);
  });
});

describe('Client addresses and failed authentications, validated at start', () => {
  it('trusts no proxy by default and allows 20 failed authentications a minute per address', () => {
    expect(loadConfig({})).toMatchObject({ trustProxy: false, authFailureLimitPerMinute: 20 });
    expect(loadConfig({ AUTH_FAILURE_LIMIT_PER_MINUTE: '5' }).authFailureLimitPerMinute).toBe(5);
    expect(problemsOf({ AUTH_FAILURE_LIMIT_PER_MINUTE: '0' }).join()).toMatch(/AUTH_FAILURE_LIMIT_PER_MINUTE must be >= 1/);
    expect(problemsOf({ AUTH_FAILURE_LIMIT_PER_MINUTE: 'many' }).join()).toMatch(/AUTH_FAILURE_LIMIT_PER_MINUTE must be integer/);
  });

  it('takes TRUST_PROXY as off, a number of hops, or the proxies’ addresses and subnets', () => {
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '0' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8,fd00::/8,192.0.2.7' }).trustProxy).toEqual(['loopback', '10.0.0.0/8', 'fd00::/8', '192.0.2.7']);
  });

  it('refuses TRUST_PROXY=true (any client could name its own address) and anything that is not an address', () => {
    for (const value of ['true', 'yes', '10.0.0.0/33', '300.1.1.1', 'loopback,proxy.internal', '11']) {
      expect(problemsOf({ TRUST_PROXY: value })).toEqual([expect.stringMatching(/^TRUST_PROXY must be false, a number of proxy hops/)]);
    }
  });
});

describe('Where the API listens (HOST), validated at start', () => {
  it('listens on 127.0.0.1 unless told otherwise', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ EVENT_STORE: 'postgres', DATABASE_URL: 'postgres://db/ecf' }).host).toBe('127.0.0.1');
  });

  it('takes an IPv4 or IPv6 address (every interface included) or a host name', () => {
    for (const host of ['0.0.0.0', '::', '::1', '10.20.0.2', 'fd00::2', 'localhost', 'api-1.internal', 'api.example.org']) expect(loadConfig({ HOST: host }).host).toBe(host);
  });

  it('refuses what is neither, naming the variable', () => {
    for (const host of ['999.1.1.1', '10.0.0', 'api host', 'http://api.internal', '-api.internal', 'api..internal', '10.0.0.0/8']) {
      expect(problemsOf({ HOST: host })).toEqual([expect.stringMatching(/^HOST must be an IP address/)]);
    }
  });
});

describe('Readiness bounds, validated at start', () => {
  it('allows 1000 events and 60 seconds of lag by default, and takes whole numbers from 0', () => {
    expect(loadConfig({})).toMatchObject({ readinessMaxLagEvents: 1000, readinessMaxLagSeconds: 60 });
    expect(loadConfig({ READINESS_MAX_LAG_EVENTS: '0', READINESS_MAX_LAG_SECONDS: '5' })).toMatchObject({ readinessMaxLagEvents: 0, readinessMaxLagSeconds: 5 });
  });

  it('refuses negative, fractional or non-numeric bounds, naming the variable', () => {
    expect(problemsOf({ READINESS_MAX_LAG_EVENTS: '-1' }).join()).toMatch(/READINESS_MAX_LAG_EVENTS must be >= 0/);
    expect(problemsOf({ READINESS_MAX_LAG_SECONDS: '1.5' }).join()).toMatch(/READINESS_MAX_LAG_SECONDS must be integer/);
    expect(problemsOf({ READINESS_MAX_LAG_SECONDS: 'soon' }).join()).toMatch(/READINESS_MAX_LAG_SECONDS must be integer/);
  });
});

describe('Metrics settings, validated at start', () => {
  it('opens /metrics without a key and starts no projector listener by default', () => {
    expect(loadConfig({})).toMatchObject({ metricsAccess: 'public', metricsPort: null });
    expect(loadConfig({ METRICS_ACCESS: 'key', METRICS_PORT: '9464' })).toMatchObject({ metricsAccess: 'key', metricsPort: 9464 });
  });

  it('refuses another access or a port that is not one, naming the variable', () => {
    expect(problemsOf({ METRICS_ACCESS: 'open' }).join()).toMatch(/METRICS_ACCESS must be equal to one of the allowed values/);
    expect(problemsOf({ METRICS_PORT: '70000' }).join()).toMatch(/METRICS_PORT must be <= 65535/);
    expect(problemsOf({ METRICS_PORT: 'nine' }).join()).toMatch(/METRICS_PORT must be integer/);
  });
});

describe('Metrics settings, validated at start', () => {
  it('opens /metrics without a key and starts no projector listener by default', () => {
    expect(loadConfig({})).toMatchObject({ metricsAccess: 'public', metricsPort: null });
    expect(loadConfig({ METRICS_ACCESS: 'key', METRICS_PORT: '9464' })).toMatchObject({ metricsAccess: 'key', metricsPort: 9464 });
  });

  it('refuses another access or a port that is not one, naming the variable', () => {
    expect(problemsOf({ METRICS_ACCESS: 'open' }).join()).toMatch(/METRICS_ACCESS must be equal to one of the allowed values/);
    expect(problemsOf({ METRICS_PORT: '70000' }).join()).toMatch(/METRICS_PORT must be <= 65535/);
    expect(problemsOf({ METRICS_PORT: 'nine' }).join()).toMatch(/METRICS_PORT must be integer/);
  });

  it('reads the consumer lease length (CONSUMER_LEASE_TTL_MS), 6 s by default, between 1 s and a minute', () => {
    expect(loadConfig({}).consumerLeaseTtlMs).toBe(6000);
    expect(loadConfig({ CONSUMER_LEASE_TTL_MS: '2000' }).consumerLeaseTtlMs).toBe(2000);
    expect(problemsOf({ CONSUMER_LEASE_TTL_MS: '500' }).join()).toMatch(/CONSUMER_LEASE_TTL_MS must be >= 1000/);
    expect(problemsOf({ CONSUMER_LEASE_TTL_MS: 'ten' }).join()).toMatch(/CONSUMER_LEASE_TTL_MS must be integer/);
  });

  it('reads how many PostgreSQL append calls may write at once (PG_APPEND_CALLS_IN_FLIGHT), 2 by default, from 1 to 8', () => {
    expect(loadConfig({}).pgAppendCallsInFlight).toBe(2);
    expect(loadConfig({ PG_APPEND_CALLS_IN_FLIGHT: '1' }).pgAppendCallsInFlight).toBe(1);
    expect(problemsOf({ PG_APPEND_CALLS_IN_FLIGHT: '0' }).join()).toMatch(/PG_APPEND_CALLS_IN_FLIGHT must be >= 1/);
    expect(problemsOf({ PG_APPEND_CALLS_IN_FLIGHT: '9' }).join()).toMatch(/PG_APPEND_CALLS_IN_FLIGHT must be <= 8/);
    expect(problemsOf({ PG_APPEND_CALLS_IN_FLIGHT: '1.5' }).join()).toMatch(/PG_APPEND_CALLS_IN_FLIGHT must be integer/);
  });
});
