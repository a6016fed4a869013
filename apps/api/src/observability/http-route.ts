import type { Request } from 'express';

/** Paths served by mounted middleware rather than a route (the console's files, the OpenAPI UI). */
const MOUNTS = ['/console', '/docs'];

/**
 * The route template a request matched (`/ects/:id/pause`), for metric labels and span names: never
 * the path itself, whose ids would make a series per participant. `unmatched` when no route did (404s).
 */
export function routeOf(request: Request): string {
  const path: unknown = (request as { route?: { path?: unknown } }).route?.path;
  if (typeof path === 'string') return `${request.baseUrl}${path}`;
  const mount = MOUNTS.find((prefix) => request.path === prefix || request.path.startsWith(`${prefix}/`));
  return mount ?? 'unmatched';
}
