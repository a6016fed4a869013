/** The console's only way to the back office: the public HTTP API, with the signed-in key. */

export interface FieldError {
  readonly field: string;
  readonly code: string;
  readonly message: string;
}

/** RFC 9457 problem details as the API sends them (application/problem+json). */
export interface Problem {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string;
  readonly errors?: readonly FieldError[];
  readonly rule?: string;
  readonly nextStep?: string;
  readonly context?: Readonly<Record<string, string>>;
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail);
  }

  get status(): number {
    return this.problem.status;
  }
}

export interface CommandOptions {
  /** The revision the user saw: a change by someone else since then is refused with 412. */
  readonly ifMatch?: number;
  /** The same key on a retry (a double click, a confirmation after a preview) writes nothing twice. */
  readonly idempotencyKey?: string;
  readonly dryRun?: boolean;
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export interface TextDownload {
  readonly text: string;
  readonly filename: string | null;
}

const unreachable = (): ApiError =>
  new ApiError({ status: 0, code: 'API_UNREACHABLE', title: 'API unreachable', detail: 'The back office API could not be reached. Check your connection and try again.' });

export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

export class Api {
  constructor(private readonly key: string) {}

  get<T>(path: string, query: Query = {}): Promise<T> {
    return this.send<T>('GET', withQuery(path, query));
  }

  command<T>(method: string, path: string, body: unknown, options: CommandOptions = {}): Promise<T> {
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (options.ifMatch !== undefined) headers['If-Match'] = String(options.ifMatch);
    if (options.idempotencyKey !== undefined) headers['Idempotency-Key'] = options.idempotencyKey;
    return this.send<T>(method, withQuery(path, { dryRun: options.dryRun ? 'true' : undefined }), headers, JSON.stringify(body));
  }

  /** A CSV (or other text) answer, with the file name the API suggests. */
  async download(path: string, query: Query = {}): Promise<TextDownload> {
    const response = await this.fetch('GET', withQuery(path, query));
    if (!response.ok) throw await problemOf(response);
    const disposition = response.headers.get('Content-Disposition') ?? '';
    return { text: await response.text(), filename: /filename="([^"]+)"/.exec(disposition)?.[1] ?? null };
  }

  private async send<T>(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<T> {
    const response = await this.fetch(method, path, headers, body);
    if (!response.ok) throw await problemOf(response);
    return (await response.json()) as T;
  }

  private async fetch(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Response> {
    try {
      return await fetch(path, { method, headers: { Accept: 'application/json, text/csv', ...headers, Authorization: `Bearer ${this.key}` }, body, cache: 'no-store' });
    } catch {
      throw unreachable();
    }
  }
}

async function problemOf(response: Response): Promise<ApiError> {
  try {
    const body = (await response.json()) as Partial<Problem>;
    return new ApiError({ title: response.statusText, detail: `The API answered ${response.status}.`, code: `HTTP_${response.status}`, ...body, status: response.status });
  } catch {
    return new ApiError({ status: response.status, code: `HTTP_${response.status}`, title: response.statusText, detail: `The API answered ${response.status}.` });
  }
}

/** The public OpenAPI document: no key needed. */
export async function fetchPublicJson<T>(path: string): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { headers: { Accept: 'application/json' } });
  } catch {
    throw unreachable();
  }
  if (!response.ok) throw await problemOf(response);
  return (await response.json()) as T;
}

/**
 * A new idempotency key for one intended command (kept across its preview and confirmation).
 * A random UUID from getRandomValues, which, unlike randomUUID, browsers offer outside HTTPS too.
 */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * An Idempotency-Key per distinct request: the same body (a double submit, a retry after a lost answer,
 * a preview then its confirmation) keeps its key; a corrected body gets a new one, since the API binds
 * a key to the request it was first used for (422 IDEMPOTENCY_KEY_REUSED otherwise).
 */
export function idempotencyKeys(): (body: unknown) => string {
  let used = { body: '', key: newIdempotencyKey() };
  return (body) => {
    const text = JSON.stringify(body);
    if (text !== used.body) used = { body: text, key: used.body === '' ? used.key : newIdempotencyKey() };
    return used.key;
  };
}

interface Health {
  readonly projections: readonly { name: string; role: string; status: string; position: number }[];
}

/**
 * Waits (briefly) until the read models and policies have processed a command's events, so the
 * page shown next reflects the change and a mentor cascade has been issued. Answers false when they
 * have not within the time allowed; the change itself is already recorded either way.
 */
export async function readModelsCaughtUp(position: number, timeoutMs = 5_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const health = await fetchPublicJson<Health>('/health').catch(() => null);
    const live = health?.projections.filter((projection) => projection.role === 'live' && projection.status !== 'failed') ?? [];
    if (health && live.every((projection) => projection.position >= position)) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
