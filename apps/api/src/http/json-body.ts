import type { IncomingMessage } from 'node:http';
import { ProblemException } from '../problem/problem';

/** The largest request body the API reads; anything larger is refused with 413 before it is parsed. */
export const BODY_LIMIT_BYTES = 64 * 1024;
/**
 * How deeply a request body may nest arrays and objects. Every command body is a flat object with at
 * most a list of strings (depth 2); the bound keeps hostile nesting away from JSON.parse, class-transformer
 * and class-validator, which recurse.
 */
export const MAX_BODY_DEPTH = 8;

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** The deepest nesting of arrays and objects in a JSON text, read byte by byte (strings skipped), stopping past `limit`. */
export function jsonNestingDepth(body: Uint8Array, limit: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < body.length; i += 1) {
    const byte = body[i];
    if (inString) {
      if (byte === BACKSLASH) i += 1;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) inString = true;
    else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      depth += 1;
      if (depth > deepest) deepest = depth;
      if (deepest > limit) return deepest;
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) depth -= 1;
  }
  return deepest;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * body-parser's `verify` hook: runs on the raw bytes before JSON.parse. JSON exchanged between systems
 * is UTF-8 (RFC 8259 §8.1), so any other charset is 415 and bytes that are not UTF-8 are 400; nesting
 * deeper than MAX_BODY_DEPTH is 400. Errors carry body-parser's `status` and `type`, and the problem
 * filter turns them into problems (json-body-errors.ts).
 */
export function verifyJsonBody(_request: IncomingMessage, _response: unknown, body: Buffer, encoding: string | null): void {
  if (encoding !== null && encoding !== 'utf-8' && encoding !== 'utf8') {
    throw Object.assign(new Error(`Request bodies are JSON in UTF-8; charset "${encoding}" is not accepted.`), { status: 415, type: 'charset.unsupported' });
  }
  if (jsonNestingDepth(body, MAX_BODY_DEPTH) > MAX_BODY_DEPTH) {
    throw Object.assign(new Error(`The body nests arrays or objects more than ${MAX_BODY_DEPTH} levels deep.`), { status: 400, type: 'entity.too.deep' });
  }
  try {
    strictUtf8.decode(body);
  } catch {
    throw Object.assign(new Error('The body is not valid UTF-8.'), { status: 400, type: 'entity.invalid.utf8' });
  }
}

/**
 * Express error middleware placed right after the JSON parser. A body the parser could not decode — a
 * gzip, deflate or brotli stream that is not one — fails inside zlib, and body-parser passes it on
 * without the `type` every other body error has, so it was taken for our own failure (500). Anything
 * that fails while the body is read, without a type of its own, is the request's fault: it is marked
 * here and answered by bodyProblem.
 */
export function markUndecodableBody(error: unknown, _request: unknown, _response: unknown, next: (error: unknown) => void): void {
  // body-parser hands a zlib failure on as a 400 with no `type`; a bare error gets the same reading.
  const { status, type } = error as { status?: unknown; type?: unknown };
  if (error instanceof Error && typeof type !== 'string' && (status === undefined || status === 400)) {
    next(Object.assign(error, { status: 400, type: 'entity.decode.failed' }));
    return;
  }
  next(error);
}

interface BodyParserError {
  readonly status: number;
  readonly type: string;
  readonly message: string;
  readonly limit?: number;
}

/** An error raised while reading or parsing a request body (body-parser's http-errors, or verifyJsonBody's). */
export function isBodyParserError(error: unknown): error is BodyParserError {
  if (!(error instanceof Error)) return false;
  const { status, type } = error as Partial<BodyParserError>;
  return typeof status === 'number' && status >= 400 && status < 500 && typeof type === 'string';
}

/** The problem a body error answers with: always the caller's fault, never a 500. */
export function bodyProblem(error: BodyParserError): ProblemException {
  switch (error.type) {
    case 'entity.too.large':
      return new ProblemException(413, 'PAYLOAD_TOO_LARGE', `The request body is larger than the limit of ${BODY_LIMIT_BYTES} bytes; nothing was written.`, {
        context: { limitBytes: String(BODY_LIMIT_BYTES) },
      });
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return new ProblemException(415, 'UNSUPPORTED_MEDIA_TYPE', 'Request bodies are JSON in UTF-8: send Content-Type: application/json, with no other charset or content encoding.');
    case 'entity.too.deep':
      return new ProblemException(400, 'BODY_TOO_DEEP', error.message, { context: { maxDepth: String(MAX_BODY_DEPTH) } });
    case 'entity.invalid.utf8':
      return new ProblemException(400, 'INVALID_ENCODING', error.message);
    case 'entity.decode.failed':
      return new ProblemException(400, 'UNDECODABLE_BODY', 'The body could not be decoded with the Content-Encoding it names; nothing was written.');
    case 'entity.parse.failed':
      return new ProblemException(400, 'MALFORMED_JSON', 'The body is not well-formed JSON; nothing was written.');
    default:
      // request.aborted, request.size.invalid, entity.verify.failed, …: the request itself was broken.
      return new ProblemException(error.status, 'BAD_REQUEST_BODY', `The request body could not be read (${error.type}).`);
  }
}
