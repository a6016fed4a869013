import { Controller, Get, Headers, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiProduces, ApiPropertyOptional, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import type { Request, Response } from 'express';
import { DOMAIN_EVENT_TYPES } from '@ecf/domain';
import { EventStore, subscribeToAll } from '@ecf/event-store';
import { ApiKeyStore, type Principal } from '@ecf/runtime';
import { CurrentPrincipal, RequiresPermission } from '../auth/auth.decorators';
import { SEES_PERSONAL_DATA } from '../auth/permissions';
import { EVENT_STORE } from '../infrastructure/tokens';
import { ProblemException } from '../problem/problem';
import { FeedPage, toFeedEvent } from './event-feed';
import { feedPageJson, PageEvent } from './feed-page-json';

export class FeedQueryDto {
  @ApiPropertyOptional({ description: 'Events strictly after this position (default 0: from the start)', example: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  // A position past 2^53 cannot be told from its neighbours, nor written back exactly in `next`.
  @Max(Number.MAX_SAFE_INTEGER)
  after?: number;

  @ApiPropertyOptional({ description: 'At most this many events (1–1000, default 100)', example: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;

  @ApiPropertyOptional({ enum: DOMAIN_EVENT_TYPES, isArray: true, description: 'Only these event types (repeat the parameter, or comma-separate)' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (Array.isArray(value) ? value : [value]).flatMap((item) => String(item).split(',')).filter(Boolean))
  @IsIn(DOMAIN_EVENT_TYPES, { each: true, message: `type must be event types from GET /schemas` })
  type?: string[];
}

/** How far one page may scan for filtered events before answering with what it found. */
const MAX_SCAN_PER_PAGE = 10_000;
const HEARTBEAT_MS = 15_000;
/** How often an open stream checks that its key still holds (besides before every batch it writes). */
const KEY_CHECK_MS = 2_000;

/**
 * The next page's address, relative to this one, sent before the body: a reporting job can ask for it as
 * soon as the headers arrive and parse this page while the API reads the next.
 */
const nextPageLink = (after: number, limit: number, types: readonly string[] | undefined): string =>
  `<?after=${after}&limit=${limit}${types && types.length > 0 ? `&type=${types.map(encodeURIComponent).join(',')}` : ''}>; rel="next"`;

const typesOf = (query: FeedQueryDto): Set<string> | null => (query.type && query.type.length > 0 ? new Set(query.type) : null);

/** The event feed for reporting jobs: paged by position, and live over server-sent events. */
@ApiTags('event feed')
@ApiBearerAuth()
@Controller('events')
export class EventsController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(ApiKeyStore) private readonly keys: ApiKeyStore,
  ) {}

  @Get()
  @RequiresPermission('ReadEventFeed')
  @ApiOperation({
    summary: 'Events after a position, in log order; positions are stable, so a consumer resumes with ?after=next',
    description: 'While the page is not the last (`more`), a `Link: <?after=next&limit=…>; rel="next"` header gives the next page before the body arrives.',
  })
  @ApiResponse({ status: 200, type: FeedPage })
  async page(@CurrentPrincipal() principal: Principal, @Query() query: FeedQueryDto, @Res({ passthrough: true }) response: Response): Promise<string> {
    const types = typesOf(query);
    const limit = query.limit ?? 100;
    const head = await this.store.headPosition();
    const showPersonal = SEES_PERSONAL_DATA.includes(principal.role);
    // Stored JSON text where the store offers it, so events the feed shows as stored are never parsed.
    const read = this.store.readAllJson?.bind(this.store) ?? this.store.readAll.bind(this.store);
    const events: PageEvent[] = [];
    let next = query.after ?? 0;
    let scanned = 0;
    while (events.length < limit && scanned < MAX_SCAN_PER_PAGE && next < head) {
      const batch = await read({ after: next, maxCount: types ? 1000 : limit - events.length });
      if (batch.length === 0) break;
      for (const event of batch) {
        next = event.position;
        scanned += 1;
        if (!types || types.has(event.type)) events.push(event);
        if (events.length === limit) break;
      }
    }
    response.setHeader('Content-Type', 'application/json; charset=utf-8');
    if (next < head) response.setHeader('Link', nextPageLink(next, limit, query.type));
    return feedPageJson(events, showPersonal, next, head);
  }

  @Get('stream')
  @RequiresPermission('ReadEventFeed')
  @ApiOperation({
    summary: 'Live feed as server-sent events: each event’s id is its position; reconnect with Last-Event-ID to resume without a gap',
    description:
      'Catches up from Last-Event-ID (or ?after=), then stays live. A comment line every 15 s keeps proxies from closing it. ' +
      'The stream ends within 2 s of its key being revoked or its role or scope changing, and writes nothing recorded after that was seen.',
  })
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'The position of the last event received' })
  @ApiProduces('text/event-stream')
  stream(
    @CurrentPrincipal() principal: Principal,
    @Query() query: FeedQueryDto,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Req() request: Request,
    @Res() response: Response,
  ): void {
    const after = lastEventId === undefined ? (query.after ?? 0) : Number(lastEventId);
    if (!Number.isSafeInteger(after) || after < 0) {
      throw new ProblemException(400, 'INVALID_LAST_EVENT_ID', 'Last-Event-ID must be the position of an event you received.', {
        errors: [{ field: 'Last-Event-ID', code: 'INVALID_POSITION', message: 'A non-negative integer.' }],
      });
    }
    const types = typesOf(query);
    const showPersonal = SEES_PERSONAL_DATA.includes(principal.role);
    response.status(200);
    response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    response.setHeader('Cache-Control', 'no-cache, no-transform');
    response.setHeader('Connection', 'keep-alive');
    response.setHeader('X-Accel-Buffering', 'no');
    response.flushHeaders();
    response.write('retry: 2000\n\n');

    let open = true;
    const end = (comment?: string) => {
      if (!open) return;
      open = false;
      clearInterval(heartbeat);
      clearInterval(keyCheck);
      void subscription.stop();
      if (comment) response.write(`: ${comment}\n\n`);
      response.end();
    };
    // The guard authenticated the key once, when the stream opened; a revocation (`ecf keys revoke`, run
    // anywhere: the keys are shared by every process, in PostgreSQL in server mode) must also close a
    // stream already open. Checked before each batch is written and on a timer for a quiet log. A failed
    // lookup ends the stream too: the client reconnects and the guard decides afresh.
    const keyHolds = () => this.keys.isCurrent(principal).catch(() => false);
    const subscription = subscribeToAll(this.store, {
      after,
      handle: async (batch) => {
        if (!open) return;
        if (!(await keyHolds())) return end('the API key is no longer valid');
        if (!open) return;
        for (const event of batch) {
          if (types && !types.has(event.type)) continue;
          response.write(`id: ${event.position}\nevent: ${event.type}\ndata: ${JSON.stringify(toFeedEvent(event, showPersonal))}\n\n`);
        }
      },
      onError: () => end(),
    });
    const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), HEARTBEAT_MS);
    const keyCheck = setInterval(() => {
      void keyHolds().then((holds) => {
        if (!holds) end('the API key is no longer valid');
      });
    }, KEY_CHECK_MS);
    request.on('close', () => end());
  }
}
