import Database from 'better-sqlite3';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

const seconds = (startNs: bigint): number => Number(process.hrtime.bigint() - startNs) / 1e9;

export interface FeedRead {
  readonly events: number;
  readonly pages: number;
  readonly seconds: number;
}

/** A reporting job reading `GET /events` from the start to the head, a page of `pageSize` after another. */
export async function readWholeFeed(baseUrl: string, key: string, pageSize = 1000): Promise<FeedRead> {
  const started = process.hrtime.bigint();
  let after = 0;
  let events = 0;
  let pages = 0;
  for (;;) {
    const response = await fetch(`${baseUrl}/events?after=${after}&limit=${pageSize}`, { headers: { authorization: `Bearer ${key}` } });
    if (!response.ok) throw new Error(`GET /events answered ${response.status}`);
    const page = (await response.json()) as { events: unknown[]; next: number; more: boolean };
    events += page.events.length;
    pages += 1;
    after = page.next;
    if (!page.more) return { events, pages, seconds: seconds(started) };
  }
}

const NEXT_LINK = /^<([^>]+)>; rel="next"$/;

/**
 * The same read, following each page's `Link: rel="next"` as soon as its headers arrive: the next page is
 * asked for while this one is parsed, so the API reads a page while the job parses the one before.
 */
export async function readWholeFeedOneAhead(baseUrl: string, key: string, pageSize = 1000): Promise<FeedRead> {
  const started = process.hrtime.bigint();
  const get = (url: URL): Promise<Response> => {
    const response = fetch(url, { headers: { authorization: `Bearer ${key}` } }).then((answer) => {
      if (!answer.ok) throw new Error(`GET /events answered ${answer.status}`);
      return answer;
    });
    // Awaited on the next turn of the loop; until then a failure must not count as unhandled.
    response.catch(() => undefined);
    return response;
  };
  let pending = get(new URL(`/events?after=0&limit=${pageSize}`, baseUrl));
  let events = 0;
  let pages = 0;
  for (;;) {
    const response = await pending;
    const next = NEXT_LINK.exec(response.headers.get('link') ?? '')?.[1];
    if (next !== undefined) pending = get(new URL(next, response.url));
    const page = (await response.json()) as { events: unknown[]; more: boolean };
    events += page.events.length;
    pages += 1;
    if (page.more !== (next !== undefined)) throw new Error(`GET /events: more is ${page.more} but the Link header says ${next ?? 'nothing'}`);
    if (next === undefined) return { events, pages, seconds: seconds(started) };
  }
}

/** A page of the feed as the API answered it: its body and Link header, by the `after` it was asked for. */
export interface CapturedPage {
  readonly after: string;
  readonly body: Buffer;
  readonly link: string | null;
}

/** Every page of the feed, kept as the API sent them, to be served again from memory (`readFromMemory`). */
export async function capturePages(baseUrl: string, key: string, pageSize = 1000): Promise<CapturedPage[]> {
  const pages: CapturedPage[] = [];
  let after = 0;
  for (;;) {
    const response = await fetch(`${baseUrl}/events?after=${after}&limit=${pageSize}`, { headers: { authorization: `Bearer ${key}` } });
    if (!response.ok) throw new Error(`GET /events answered ${response.status}`);
    const body = Buffer.from(await response.arrayBuffer());
    pages.push({ after: String(after), body, link: response.headers.get('link') });
    const page = JSON.parse(body.toString('utf8')) as { next: number; more: boolean };
    after = page.next;
    if (!page.more) return pages;
  }
}

/**
 * The floor under any feed read by this reader: the same pages, byte for byte, served from memory by a
 * bare `node:http` server that does nothing else, read the same way (`read`). What the reader alone costs
 * (the request, receiving the bytes, decoding and parsing them) against the raw scan.
 */
export async function readFromMemory(pages: readonly CapturedPage[], read: (baseUrl: string) => Promise<FeedRead>): Promise<FeedRead> {
  const byAfter = new Map(pages.map((page) => [page.after, page]));
  const server = createServer((request, response) => {
    const page = byAfter.get(new URL(request.url ?? '/', 'http://memory').searchParams.get('after') ?? '');
    if (!page) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': page.body.length, ...(page.link ? { link: page.link } : {}) });
    response.end(page.body);
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  try {
    return await read(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    server.closeAllConnections();
    await new Promise((closed) => server.close(closed));
  }
}

/** The baseline: every row of the same event table, in order, with its data and metadata parsed, in this process. */
export function rawScan(dataDir: string): FeedRead {
  const db = new Database(join(dataDir, 'events.sqlite'), { readonly: true });
  try {
    const started = process.hrtime.bigint();
    let events = 0;
    for (const row of db.prepare<[], { data: string; metadata: string }>('SELECT * FROM events ORDER BY position').iterate()) {
      JSON.parse(row.data);
      JSON.parse(row.metadata);
      events += 1;
    }
    return { events, pages: 1, seconds: seconds(started) };
  } finally {
    db.close();
  }
}

/** The median of `rounds` runs of `read`: a whole read of a small log takes a fifth of a second, too short to time once. */
export async function medianOf(rounds: number, read: () => FeedRead | Promise<FeedRead>): Promise<FeedRead & { readonly rounds: number }> {
  const runs: FeedRead[] = [];
  for (let round = 0; round < rounds; round++) runs.push(await read());
  runs.sort((a, b) => a.seconds - b.seconds);
  return { ...runs[Math.floor(rounds / 2)], rounds };
}
