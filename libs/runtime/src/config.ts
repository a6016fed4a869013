import Ajv from 'ajv';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { projectRoot } from './project-root';

/** Configuration comes from the environment and is validated once, at start, with a clear message. */
export interface AppConfig {
  readonly port: number;
  /** The address the API listens on: 127.0.0.1 by default; 0.0.0.0 (or the host's own address) behind a load balancer on another host. */
  readonly host: string;
  readonly dataDir: string;
  readonly eventStore: EventStoreKind;
  /** Where projections keep their read models and checkpoints; PostgreSQL when the events are not in the embedded file. */
  readonly readModelStore: ReadModelStoreKind;
  /** PostgreSQL connection string (EVENT_STORE=postgres or READ_MODEL_STORE=postgres). */
  readonly databaseUrl: string | null;
  /** EventStoreDB/KurrentDB connection string (EVENT_STORE=esdb). */
  readonly esdbConnectionString: string | null;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly programmeFile: string;
  /** Embedded mode runs projections inside the API; set false when a separate projector process runs them. */
  readonly runProjections: boolean;
  /** Readiness (GET /health/ready) fails when a consumer is more events than this behind the head (SQLite and PostgreSQL, whose positions count events). */
  readonly readinessMaxLagEvents: number;
  /** Readiness fails when the oldest event a consumer has not handled has waited longer than this. */
  readonly readinessMaxLagSeconds: number;
  /**
   * Shifts the clock decisions are taken on ("today"), for rehearsal environments and tests of dated
   * rules. The store's recordedAt always uses the real clock, so the audit trail cannot be back-dated.
   */
  readonly decisionClockOffsetDays: number;
  /** Requests per minute allowed to one API key (or, without a key, one address). */
  readonly rateLimitPerMinute: number;
  /** Failed authentications per minute allowed from one client address before it is answered 429. */
  readonly authFailureLimitPerMinute: number;
  /**
   * Which proxies in front of the API may name the client (X-Forwarded-For), as Express's `trust proxy`:
   * false (the default: the connection's own address is the client), a number of proxy hops, or the
   * proxies' addresses and subnets.
   */
  readonly trustProxy: TrustProxy;
  /** Browser origins allowed to call the API (CORS); none by default. */
  readonly corsOrigins: readonly string[];
  /** Who may read the API's GET /metrics: anyone who reaches it (`public`, the default, like /health) or a `key` of the admin or reporting role. */
  readonly metricsAccess: MetricsAccess;
  /** The projector's metrics listener (GET /metrics on HOST); null, the default, for none. The API serves /metrics on its own port. */
  readonly metricsPort: number | null;
  /**
   * How long a projector's hold on a projection or policy lasts without a heartbeat (heartbeats come
   * every third of it): a standby takes over within about this much of the owner dying or hanging.
   */
  readonly consumerLeaseTtlMs: number;
  /**
   * PostgreSQL event store: how many append calls may write at once; appends that arrive meanwhile go
   * together in the next call and share its commit (ADR 0019). 1 batches the most; more lets one call's
   * round trip to a distant server overlap another's commit.
   */
  readonly pgAppendCallsInFlight: number;
}

export const METRICS_ACCESS = ['public', 'key'] as const;
export type MetricsAccess = (typeof METRICS_ACCESS)[number];

export type TrustProxy = false | number | readonly string[];

export const EVENT_STORES = ['sqlite', 'postgres', 'esdb'] as const;
export type EventStoreKind = (typeof EVENT_STORES)[number];
export const READ_MODEL_STORES = ['sqlite', 'postgres'] as const;
export type ReadModelStoreKind = (typeof READ_MODEL_STORES)[number];

interface RawConfig {
  PORT: number;
  HOST: string;
  DATA_DIR: string;
  EVENT_STORE: EventStoreKind;
  READ_MODEL_STORE?: ReadModelStoreKind;
  DATABASE_URL?: string;
  ESDB_CONNECTION_STRING?: string;
  LOG_LEVEL: AppConfig['logLevel'];
  PROGRAMME_FILE: string;
  RUN_PROJECTIONS: boolean;
  READINESS_MAX_LAG_EVENTS: number;
  READINESS_MAX_LAG_SECONDS: number;
  DECISION_CLOCK_OFFSET_DAYS: number;
  RATE_LIMIT_PER_MINUTE: number;
  AUTH_FAILURE_LIMIT_PER_MINUTE: number;
  TRUST_PROXY: string;
  CORS_ORIGINS: string;
  METRICS_ACCESS: MetricsAccess;
  METRICS_PORT?: number;
  CONSUMER_LEASE_TTL_MS: number;
  PG_APPEND_CALLS_IN_FLIGHT: number;
}

const schema = {
  type: 'object',
  properties: {
    PORT: { type: 'integer', minimum: 0, maximum: 65535, default: 3000 },
    HOST: { type: 'string', minLength: 1, default: '127.0.0.1' },
    DATA_DIR: { type: 'string', minLength: 1, default: './data' },
    EVENT_STORE: { enum: EVENT_STORES, default: 'sqlite' },
    READ_MODEL_STORE: { enum: READ_MODEL_STORES },
    DATABASE_URL: { type: 'string', pattern: '^postgres(ql)?://' },
    ESDB_CONNECTION_STRING: { type: 'string', pattern: '^esdb(\\+discover)?://' },
    LOG_LEVEL: { enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: 'info' },
    PROGRAMME_FILE: { type: 'string', minLength: 1, default: join(projectRoot(), 'config', 'programme.json') },
    RUN_PROJECTIONS: { type: 'boolean', default: true },
    READINESS_MAX_LAG_EVENTS: { type: 'integer', minimum: 0, maximum: 1_000_000_000, default: 1000 },
    READINESS_MAX_LAG_SECONDS: { type: 'integer', minimum: 0, maximum: 86_400, default: 60 },
    DECISION_CLOCK_OFFSET_DAYS: { type: 'integer', minimum: -3660, maximum: 3660, default: 0 },
    RATE_LIMIT_PER_MINUTE: { type: 'integer', minimum: 1, maximum: 1_000_000, default: 600 },
    AUTH_FAILURE_LIMIT_PER_MINUTE: { type: 'integer', minimum: 1, maximum: 1_000_000, default: 20 },
    TRUST_PROXY: { type: 'string', default: 'false' },
    CORS_ORIGINS: { type: 'string', pattern: '^(https?://[^\\s,]+)?(,https?://[^\\s,]+)*$', default: '' },
    METRICS_ACCESS: { enum: METRICS_ACCESS, default: 'public' },
    METRICS_PORT: { type: 'integer', minimum: 0, maximum: 65535 },
    // Below a second, a loaded host's heartbeat could miss its lease; above a minute, a failover waits that long.
    CONSUMER_LEASE_TTL_MS: { type: 'integer', minimum: 1000, maximum: 60_000, default: 6000 },
    // Appends that arrive while this many calls are writing share the next commit (ADR 0019); a pool has 10 connections.
    PG_APPEND_CALLS_IN_FLIGHT: { type: 'integer', minimum: 1, maximum: 8, default: 2 },
  },
  required: ['PORT', 'HOST', 'DATA_DIR', 'EVENT_STORE', 'LOG_LEVEL', 'PROGRAMME_FILE', 'RUN_PROJECTIONS', 'DECISION_CLOCK_OFFSET_DAYS', 'RATE_LIMIT_PER_MINUTE', 'AUTH_FAILURE_LIMIT_PER_MINUTE', 'TRUST_PROXY', 'CORS_ORIGINS', 'METRICS_ACCESS', 'CONSUMER_LEASE_TTL_MS', 'PG_APPEND_CALLS_IN_FLIGHT'],
} as const;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const names = Object.keys(schema.properties);
  const raw: Record<string, unknown> = Object.fromEntries(names.filter((name) => env[name] !== undefined && env[name] !== '').map((name) => [name, env[name]]));
  const validate = new Ajv({ useDefaults: true, coerceTypes: true, allErrors: true }).compile<RawConfig>(schema);
  if (!validate(raw)) {
    throw new ConfigError((validate.errors ?? []).map((error) => `${error.instancePath.slice(1) || 'config'} ${error.message ?? 'is invalid'}`));
  }
  // The embedded read models live beside embedded events; with a server store they default to PostgreSQL.
  const readModelStore = raw.READ_MODEL_STORE ?? (raw.EVENT_STORE === 'sqlite' ? 'sqlite' : 'postgres');
  const problems: string[] = [];
  // Server mode (postgres, or esdb beside PostgreSQL) keeps the API keys and personal-data keys in PostgreSQL too.
  if ((raw.EVENT_STORE !== 'sqlite' || readModelStore === 'postgres') && raw.DATABASE_URL === undefined) {
    problems.push(`DATABASE_URL is required when EVENT_STORE=${raw.EVENT_STORE} and READ_MODEL_STORE=${readModelStore} (e.g. postgres://user@host:5432/db)`);
  }
  if (raw.EVENT_STORE === 'esdb' && raw.ESDB_CONNECTION_STRING === undefined) {
    problems.push('ESDB_CONNECTION_STRING is required when EVENT_STORE=esdb (e.g. esdb://host:2113?tls=false)');
  }
  if (!isListenAddress(raw.HOST)) problems.push(`HOST must be an IP address (e.g. 127.0.0.1, 0.0.0.0, ::) or a host name, got ${JSON.stringify(raw.HOST)}`);
  const trustProxy = parseTrustProxy(raw.TRUST_PROXY, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    port: raw.PORT,
    host: raw.HOST,
    dataDir: resolve(raw.DATA_DIR),
    eventStore: raw.EVENT_STORE,
    readModelStore,
    databaseUrl: raw.DATABASE_URL ?? null,
    esdbConnectionString: raw.ESDB_CONNECTION_STRING ?? null,
    logLevel: raw.LOG_LEVEL,
    programmeFile: resolve(raw.PROGRAMME_FILE),
    runProjections: raw.RUN_PROJECTIONS,
    readinessMaxLagEvents: raw.READINESS_MAX_LAG_EVENTS,
    readinessMaxLagSeconds: raw.READINESS_MAX_LAG_SECONDS,
    decisionClockOffsetDays: raw.DECISION_CLOCK_OFFSET_DAYS,
    rateLimitPerMinute: raw.RATE_LIMIT_PER_MINUTE,
    authFailureLimitPerMinute: raw.AUTH_FAILURE_LIMIT_PER_MINUTE,
    trustProxy,
    corsOrigins: raw.CORS_ORIGINS === '' ? [] : raw.CORS_ORIGINS.split(','),
    metricsAccess: raw.METRICS_ACCESS,
    metricsPort: raw.METRICS_PORT ?? null,
    consumerLeaseTtlMs: raw.CONSUMER_LEASE_TTL_MS,
    pgAppendCallsInFlight: raw.PG_APPEND_CALLS_IN_FLIGHT,
  };
}

/** A host name as DNS has them: dot-separated labels of letters, digits and inner hyphens. */
const HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** HOST: an IPv4 or IPv6 address (0.0.0.0 and :: listen on every interface) or a host name to resolve. */
const isListenAddress = (value: string): boolean => isIP(value) !== 0 || (HOST_NAME.test(value) && !/^[\d.]+$/.test(value));

const PROXY_RANGES = ['loopback', 'linklocal', 'uniquelocal'];

function isProxyAddress(entry: string): boolean {
  if (PROXY_RANGES.includes(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128));
}

/**
 * TRUST_PROXY: `false` or `0` (the default), a number of proxy hops, or comma-separated proxy addresses,
 * subnets (CIDR) and the names `loopback`, `linklocal`, `uniquelocal`. `true` (believe any
 * X-Forwarded-For) is refused: any client could then choose its own address and escape the limit on
 * failed authentications. Anything else is added to `problems`.
 */
function parseTrustProxy(value: string, problems: string[]): TrustProxy {
  const trimmed = value.trim();
  if (trimmed === 'false' || trimmed === '0') return false;
  if (/^\d+$/.test(trimmed) && Number(trimmed) <= 10) return Number(trimmed);
  const entries = trimmed.split(',').map((entry) => entry.trim());
  if (entries.every(isProxyAddress)) return entries;
  problems.push('TRUST_PROXY must be false, a number of proxy hops (up to 10), or comma-separated proxy addresses or subnets (e.g. 10.0.0.0/8,loopback); `true` is not accepted');
  return false;
}
