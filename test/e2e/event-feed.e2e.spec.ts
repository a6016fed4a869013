import { ApiProcess } from '../support/api-process';
import { isoDate, londonToday } from '../support/dates';
import { eventually, httpClient } from '../support/http-client';

interface FeedEvent {
  position: number;
  eventId: string;
  type: string;
  streamId: string;
  data: Record<string, unknown>;
  metadata: { causationId: string };
}
interface FeedPage {
  events: FeedEvent[];
  next: number;
  head: number;
  more: boolean;
}

/** Reads server-sent events from a fetch response until `enough` says so (or the timeout). */
async function readSse(response: Response, enough: (events: { id: number; event: string; data: FeedEvent }[]) => boolean, timeoutMs = 10_000) {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const events: { id: number; event: string; data: FeedEvent }[] = [];
  let buffer = '';
  const deadline = Date.now() + timeoutMs;
  while (!enough(events)) {
    if (Date.now() > deadline) throw new Error(`SSE: not enough events within ${timeoutMs} ms: ${JSON.stringify(events.map((event) => event.id))}`);
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let boundary: number;
    while ((boundary = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, boundary);
      buffer = buffer.slice(boundary + 2);
      const fields = Object.fromEntries(block.split('\n').filter((line) => !line.startsWith(':') && line.includes(':')).map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]));
      if (fields.id !== undefined) events.push({ id: Number(fields.id), event: fields.event, data: JSON.parse(fields.data) as FeedEvent });
    }
  }
  await reader.cancel();
  return events;
}

describe('Event feed for reporting jobs', () => {
  let api: ApiProcess;
  let http: ReturnType<typeof httpClient>;
  const keys: Record<string, string> = {};
  let trn = 7_000_000;

  async function register(path: string): Promise<string> {
    const body = { firstName: 'Feed', lastName: 'Reader', dateOfBirth: '1990-01-01', trn: String(++trn), email: `${trn}@example.org`, schoolUrn: '100001', cohort: 2026 };
    const id = (await http<{ participantId: string }>('POST', path, { key: keys.lead, body })).body.participantId;
    await http('POST', `/participants/${id}/validation`, { key: keys.system, body: { outcome: 'validated', reasons: [] } });
    return id;
  }

  beforeAll(async () => {
    api = await ApiProcess.start();
    http = httpClient(api.baseUrl);
    keys.lead = await api.createKey('ecf-lead', '--delivery-partner', 'dp-north');
    keys.system = await api.createKey('system');
    keys.reporting = await api.createKey('reporting');
    await http('POST', '/schools', { key: keys.lead, body: { urn: '100001', name: 'Oakfield', region: 'north-west', deliveryPartnerId: 'dp-north', cohort: 2026 } });
    const ect = await register('/ects');
    const mentor = await register('/mentors');
    await http('PUT', `/ects/${ect}/mentor`, { key: keys.lead, body: { mentorId: mentor } });
    const today = londonToday();
    await http('POST', `/ects/${ect}/deferral`, { key: keys.lead, body: { deferralDate: isoDate(today), expectedReturnDate: isoDate(today.plusMonths(2)), reason: 'bereavement' } });
    await eventually(async () => (await http<{ status: string }>('GET', `/participants/${mentor}`, { key: keys.lead })).body.status, (status) => status === 'deferred');
  });

  afterAll(async () => {
    await api?.stop();
  });

  it('pages through the whole log in order: every position once, no gaps, stable across reads', async () => {
    const seen: number[] = [];
    let after = 0;
    let page: FeedPage;
    do {
      page = (await http<FeedPage>('GET', `/events?after=${after}&limit=4`, { key: keys.reporting })).body;
      seen.push(...page.events.map((event) => event.position));
      after = page.next;
    } while (page.more);
    expect(seen).toEqual(Array.from({ length: page.head }, (_, index) => index + 1));
    const again = (await http<FeedPage>('GET', '/events?after=0&limit=1000', { key: keys.reporting })).body;
    expect(again.events.map((event) => event.position)).toEqual(seen);
  });

  it('gives the next page in a Link header, the same pages as ?after=next, and none on the last page', async () => {
    const byNext: number[][] = [];
    const byLink: number[][] = [];
    let after = 0;
    let page: FeedPage;
    do {
      page = (await http<FeedPage>('GET', `/events?after=${after}&limit=3`, { key: keys.reporting })).body;
      byNext.push(page.events.map((event) => event.position));
      after = page.next;
    } while (page.more);
    let url = new URL('/events?limit=3', api.baseUrl);
    for (;;) {
      const response = await http<FeedPage>('GET', `${url.pathname}${url.search}`, { key: keys.reporting });
      byLink.push(response.body.events.map((event) => event.position));
      const link = response.headers.get('link');
      if (!response.body.more) {
        expect(link).toBeNull();
        break;
      }
      const target = /^<([^>]+)>; rel="next"$/.exec(link ?? '')?.[1];
      expect(target).toBe(`?after=${response.body.next}&limit=3`);
      url = new URL(target!, url);
    }
    expect(byLink).toEqual(byNext);
    const filtered = await http<FeedPage>('GET', '/events?type=ECTRegistered,MentorRegistered&limit=1', { key: keys.reporting });
    expect(filtered.headers.get('link')).toBe(`<?after=${filtered.body.next}&limit=1&type=ECTRegistered,MentorRegistered>; rel="next"`);
  });

  it('filters by type, and shows the cascade caused by the ECT’s deferral', async () => {
    const deferrals = (await http<FeedPage>('GET', '/events?type=ParticipantDeferred', { key: keys.reporting })).body.events;
    expect(deferrals).toHaveLength(2);
    expect(deferrals[1].metadata.causationId).toBe(deferrals[0].eventId);
    const two = (await http<FeedPage>('GET', '/events?type=ECTRegistered,MentorRegistered', { key: keys.reporting })).body.events;
    expect(two.map((event) => event.type)).toEqual(['ECTRegistered', 'MentorRegistered']);
  });

  it('withholds personal data from the reporting role', async () => {
    const registered = (await http<FeedPage>('GET', '/events?type=ECTRegistered', { key: keys.reporting })).body.events[0];
    expect(registered.data).not.toHaveProperty('personal');
    expect(registered.data).toHaveProperty('trn');
  });

  it('rejects bad paging and unknown types with 400, and roles without the feed with 403', async () => {
    expect((await http('GET', '/events?limit=5000', { key: keys.reporting })).status).toBe(400);
    expect((await http('GET', '/events?after=-1', { key: keys.reporting })).status).toBe(400);
    const unknown = await http('GET', '/events?type=Nope', { key: keys.reporting });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ code: 'INVALID_INPUT', errors: [expect.objectContaining({ field: 'type' })] });
    expect((await http('GET', '/events', { key: keys.lead })).status).toBe(403);
  });

  it('streams server-sent events from Last-Event-ID, then live, with no gap', async () => {
    const head = (await http<FeedPage>('GET', '/events?limit=1', { key: keys.reporting })).body.head;
    const resumeFrom = head - 3;
    const response = await fetch(`${api.baseUrl}/events/stream`, { headers: { authorization: `Bearer ${keys.reporting}`, 'last-event-id': String(resumeFrom) } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reading = readSse(response, (events) => events.length >= 4 + 2);
    // Live: a new participant's registration and validation arrive after the history.
    await register('/ects');
    const events = await reading;
    expect(events.map((event) => event.id)).toEqual(Array.from({ length: events.length }, (_, index) => resumeFrom + 1 + index));
    expect(events.slice(-2).map((event) => event.event)).toEqual(['ECTRegistered', 'DataValidationPassed']);
    expect(events[0].data.position).toBe(resumeFrom + 1);
  });

  it('publishes a JSON Schema for every event type, without a key', async () => {
    const schemas = await http<{ eventTypes: { type: string; latestVersion: number; schemas: Record<string, { $id: string }> }[] }>('GET', '/schemas');
    expect(schemas.status).toBe(200);
    const types = schemas.body.eventTypes.map((entry) => entry.type);
    expect(types).toEqual(expect.arrayContaining(['ECTRegistered', 'ParticipantDeferred', 'ParticipantWithdrawn', 'SchoolPartnershipRegistered']));
    expect(schemas.body.eventTypes.find((entry) => entry.type === 'ParticipantDeferred')?.schemas.v1.$id).toBe('urn:ecf:event:ParticipantDeferred:v1');
    expect((await http('GET', '/schemas/ECTRegistered')).body).toMatchObject({ $id: 'urn:ecf:event:ECTRegistered:v1' });
    expect((await http('GET', '/schemas/Nope')).status).toBe(404);
  });

  it('describes the feed in an AsyncAPI document with every event type’s current schema', async () => {
    const doc = await http<{ asyncapi: string; channels: Record<string, unknown>; components: { messages: Record<string, { payload: { properties: { data: { $id: string }; schemaVersion: { const: number } } } }> } }>(
      'GET',
      '/schemas/asyncapi.json',
    );
    expect(doc.status).toBe(200);
    expect(doc.body.asyncapi).toBe('2.6.0');
    expect(Object.keys(doc.body.channels)).toEqual(['/events/stream', '/events']);
    const failed = doc.body.components.messages.DataValidationFailed.payload.properties;
    expect(failed.data.$id).toBe('urn:ecf:event:DataValidationFailed:v2');
    expect(failed.schemaVersion.const).toBe(2);
    expect(Object.keys(doc.body.components.messages)).toHaveLength((await http<{ eventTypes: unknown[] }>('GET', '/schemas')).body.eventTypes.length);
  });
});
