import { hostname } from 'node:os';
import type { Options } from 'pino-http';
import type { AppConfig } from '@ecf/runtime';

/**
 * pino-http's options: one line per request (`request completed`, with req, res and responseTime), the
 * key and cookies redacted. `service` is a base binding of every line rather than pino-http's customProps:
 * customProps costs a second child logger per request and its bindings serialised again when the response
 * ends, about half of pino-http's work per request. The line keeps the same fields; `service` now comes
 * before `req`, and the process's other lines carry it too.
 */
export const requestLogOptions = (level: AppConfig['logLevel']): Options => ({
  level,
  base: { pid: process.pid, hostname: hostname(), service: 'ecf-api' },
  redact: ['req.headers.authorization', 'req.headers.cookie'],
});
