import express from 'express';
import { randomBytes } from 'node:crypto';
import http, { IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { gunzipSync } from 'node:zlib';
import { streamedBody } from './streamed-body';

/** Pieces of text that barely compress (hex), counted as the body takes them; `closed` once the reading stopped. */
function countedPieces(count: number, size: number) {
  const state = { taken: 0, closed: false };
  async function* pieces(): AsyncGenerator<string> {
    try {
      for (; state.taken < count; ) {
        state.taken += 1;
        yield `${state.taken},${randomBytes(size / 2).toString('hex')}\n`;
      }
    } finally {
      state.closed = true;
    }
  }
  return { state, pieces };
}

/** A server whose one route sends the pieces as the API's report does (Nest's StreamableFile): piped into the response, destroyed if the response closes first. */
async function serve(pieces: () => AsyncIterable<string>): Promise<{ server: Server; port: number }> {
  const app = express();
  app.get('/', (request, response) => {
    const body = streamedBody(pieces(), request, response);
    response.setHeader('Content-Type', 'text/csv; charset=utf-8');
    response.on('close', () => {
      if (!body.readableEnded) body.destroy();
    });
    body.pipe(response);
  });
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  return { server, port: (server.address() as AddressInfo).port };
}

const request = (port: number, acceptEncoding?: string) =>
  new Promise<IncomingMessage>((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: '/', headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding } }, resolve).on('error', reject);
  });

async function bytesOf(response: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of response) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

describe('a streamed response body', () => {
  let server: Server | undefined;
  afterEach(
    () =>
      new Promise<void>((resolve) => {
        server?.closeAllConnections();
        return server ? server.close(() => resolve()) : resolve();
      }),
  );

  it('is gzipped for a client that accepts gzip, and gunzips to the bytes a client without it gets', async () => {
    const text = Array.from({ length: 200 }, (_, line) => `${line},"Smith, Jo",é,'=1+2\n`);
    let port: number;
    ({ server, port } = await serve(async function* () {
      yield* text;
    }));
    const plain = await request(port);
    const gzipped = await request(port, 'gzip, deflate, br');
    const refused = await request(port, 'gzip;q=0, identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    for (const response of [plain, gzipped, refused]) {
      expect(response.headers.vary).toBe('Accept-Encoding');
      expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    }
    const plainBytes = await bytesOf(plain);
    expect(plainBytes.toString()).toBe(text.join(''));
    expect(gunzipSync(await bytesOf(gzipped))).toEqual(plainBytes);
    expect(await bytesOf(refused)).toEqual(plainBytes);
  });

  it.each([['plain', undefined], ['gzipped', 'gzip']])(
    'read by a client that stops reading, is not read ahead beyond what the socket holds (%s), and stops once the client goes away',
    async (_, acceptEncoding) => {
      // 2 000 pieces of 64 KiB: 128 MiB if the server read it all.
      const { state, pieces } = countedPieces(2000, 64 * 1024);
      let port: number;
      ({ server, port } = await serve(pieces));
      const response = await request(port, acceptEncoding);
      await new Promise((resolve) => response.once('data', resolve));
      response.pause();
      // The server writes until the socket's buffers are full, then waits: the count settles.
      let settled = -1;
      for (let wait = 0; wait < 20 && settled !== state.taken; wait++) {
        settled = state.taken;
        await sleep(300);
      }
      expect(state.taken).toBe(settled);
      // What the loopback socket's buffers hold, and no more: a few MiB, not the report.
      expect(state.taken).toBeLessThan(200);
      response.destroy();
      for (let wait = 0; wait < 50 && !state.closed; wait++) await sleep(20);
      expect(state.closed).toBe(true);
      expect(state.taken).toBeLessThan(200);
    },
  );
});
