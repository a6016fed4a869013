import { pipeline, Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import type { Request, Response } from 'express';

// The cheapest level: text of repeated ids, dates and codes shrinks most of the way at level 1, and the
// higher levels cost CPU that the same two cores need to produce the text (docs/benchmarks.md).
const GZIP_LEVEL = 1;

/**
 * A response body made of text pieces, gzipped when the client accepts it (and says so in `Accept-Encoding`),
 * set on `response` with `Vary: Accept-Encoding`. The pieces are taken one at a time as the client reads: at
 * most one piece waits ahead of the response (and of the compressor), so a slow client never makes the
 * server read the rest of the report into memory; a client that goes away stops the reading.
 */
export function streamedBody(pieces: AsyncIterable<string>, request: Request, response: Response): Readable {
  const source = Readable.from(pieces, { highWaterMark: 1 });
  response.vary('Accept-Encoding');
  if (request.acceptsEncodings('gzip', 'identity') !== 'gzip') return source;
  response.setHeader('Content-Encoding', 'gzip');
  // Destroyed together: an error reading fails the response; a response closed early stops the reading.
  return pipeline(source, createGzip({ level: GZIP_LEVEL }), () => undefined);
}
