import Ajv from 'ajv';
import { join, resolve } from 'node:path';
import { projectRoot } from './project-root';

/** Configuration comes from the environment and is validated once, at start, with a clear message. */
export interface AppConfig {
  readonly port: number;
  readonly dataDir: string;
  readonly eventStore: 'sqlite';
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly programmeFile: string;
  /** Embedded mode runs projections inside the API; set false when a separate projector process runs them. */
  readonly runProjections: boolean;
  /**
   * Shifts the clock decisions are taken on ("today"), for rehearsal environments and tests of dated
   * rules. The store's recordedAt always uses the real clock, so the audit trail cannot be back-dated.
   */
  readonly decisionClockOffsetDays: number;
  /** Requests per minute allowed to one API key (or, without a key, one address). */
  readonly rateLimitPerMinute: number;
  /** Browser origins allowed to call the API (CORS); none by default. */
  readonly corsOrigins: readonly string[];
}

interface RawConfig {
  PORT: number;
  DATA_DIR: string;
  EVENT_STORE: string;
  LOG_LEVEL: AppConfig['logLevel'];
  PROGRAMME_FILE: string;
  RUN_PROJECTIONS: boolean;
  DECISION_CLOCK_OFFSET_DAYS: number;
  RATE_LIMIT_PER_MINUTE: number;
  CORS_ORIGINS: string;
}

const SUPPORTED_EVENT_STORES = ['sqlite'];

const schema = {
  type: 'object',
  properties: {
    PORT: { type: 'integer', minimum: 0, maximum: 65535, default: 3000 },
    DATA_DIR: { type: 'string', minLength: 1, default: './data' },
    EVENT_STORE: { type: 'string', default: 'sqlite' },
    LOG_LEVEL: { enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: 'info' },
    PROGRAMME_FILE: { type: 'string', minLength: 1, default: join(projectRoot(), 'config', 'programme.json') },
    RUN_PROJECTIONS: { type: 'boolean', default: true },
    DECISION_CLOCK_OFFSET_DAYS: { type: 'integer', minimum: -3660, maximum: 3660, default: 0 },
    RATE_LIMIT_PER_MINUTE: { type: 'integer', minimum: 1, maximum: 1_000_000, default: 600 },
    CORS_ORIGINS: { type: 'string', pattern: '^(https?://[^\\s,]+)?(,https?://[^\\s,]+)*$', default: '' },
  },
  required: ['PORT', 'DATA_DIR', 'EVENT_STORE', 'LOG_LEVEL', 'PROGRAMME_FILE', 'RUN_PROJECTIONS', 'DECISION_CLOCK_OFFSET_DAYS', 'RATE_LIMIT_PER_MINUTE', 'CORS_ORIGINS'],
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
  if (!SUPPORTED_EVENT_STORES.includes(raw.EVENT_STORE)) {
    throw new ConfigError([`EVENT_STORE must be one of: ${SUPPORTED_EVENT_STORES.join(', ')} (got "${raw.EVENT_STORE}")`]);
  }
  return {
    port: raw.PORT,
    dataDir: resolve(raw.DATA_DIR),
    eventStore: 'sqlite',
    logLevel: raw.LOG_LEVEL,
    programmeFile: resolve(raw.PROGRAMME_FILE),
    runProjections: raw.RUN_PROJECTIONS,
    decisionClockOffsetDays: raw.DECISION_CLOCK_OFFSET_DAYS,
    rateLimitPerMinute: raw.RATE_LIMIT_PER_MINUTE,
    corsOrigins: raw.CORS_ORIGINS === '' ? [] : raw.CORS_ORIGINS.split(','),
  };
}
