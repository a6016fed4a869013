/** The import cannot go on (API unreachable, key refused): the caller stops and exits 1. */
export class FatalImportError extends Error {}

/** An `application/problem+json` answer, in the fields the report uses. */
export interface Problem {
  status: number;
  code: string;
  detail?: string;
  errors?: { field: string; code: string; message: string }[];
  context?: Record<string, string>;
}

export type ApiAnswer = { ok: true; status: number; body: Record<string, unknown> } | { ok: false; status: number; problem: Problem };

const TIMEOUT_MS = 30_000;

/** A small client for the running API: the import goes through HTTP so that roles, scopes and validation apply as they do to anyone. */
export class ApiClient {
  private readonly baseUrl: string;

  constructor(
    baseUrl: string,
    private readonly apiKey: string,
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  async send(method: string, path: string, options: { body?: unknown; headers?: Record<string, string> } = {}): Promise<ApiAnswer> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.apiKey}`, accept: 'application/json', ...options.headers };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      text = await response.text();
    } catch (error) {
      throw new FatalImportError(`The API at ${this.baseUrl} did not answer ${method} ${path}: ${reasonOf(error)}`);
    }
    const body = parseJson(text);
    if (response.status === 401) {
      throw new FatalImportError(`The API refused the key (401 ${String(body.code ?? 'UNAUTHENTICATED')}): ${String(body.detail ?? 'check --key or ECF_API_KEY')}`);
    }
    if (response.ok) return { ok: true, status: response.status, body };
    return {
      ok: false,
      status: response.status,
      problem: {
        status: response.status,
        code: typeof body.code === 'string' ? body.code : `HTTP_${response.status}`,
        // A proxy's HTML error page has no problem body; its first words still say more than the status alone.
        detail: typeof body.detail === 'string' ? body.detail : text.slice(0, 200),
        ...(Array.isArray(body.errors) ? { errors: body.errors as Problem['errors'] } : {}),
        ...(isRecord(body.context) ? { context: body.context as Record<string, string> } : {}),
      },
    };
  }

  /** The store's head position: what was written before this run started, to tell a replayed registration from a new one. */
  async headPosition(): Promise<number> {
    const health = await this.send('GET', '/health');
    const eventStore = health.ok ? health.body.eventStore : undefined;
    const position = isRecord(eventStore) ? eventStore.headPosition : undefined;
    if (typeof position !== 'number') throw new FatalImportError(`${this.baseUrl}/health did not give the event store's head position; is this the ECF API?`);
    return position;
  }
}

function parseJson(text: string): Record<string, unknown> {
  if (!text) return {};
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) ? value : {};
  } catch {
    return {};
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function reasonOf(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return `no answer within ${TIMEOUT_MS / 1000} s`;
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
