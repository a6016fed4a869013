import { context, SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import express from 'express';
import { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { observeCommand } from '@ecf/command-handling';
import { Metrics } from '@ecf/runtime/observability';
import { measureRequests } from './http-metrics';
import { traceRequest } from './http-tracing';

/**
 * The two pieces of middleware the API puts before everything else, on a bare Express app: the HTTP
 * server span (the parent of a command's span, across the body being read) and the request metrics,
 * labelled by route template.
 */
const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const metrics = new Metrics();
const PARTICIPANT = '0b6f3c0e-1a2b-4c3d-8e4f-000000000001';
const CALLER_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  provider.register();
  const app = express();
  app.use(measureRequests(metrics));
  app.use(traceRequest);
  app.use(express.json());
  app.post('/participants/:id/engagements', async (request, response) => {
    const envelope = { commandId: 'c-1', correlationId: 'c-1', causationId: 'c-1', actor: { id: 'key-1', role: 'system' } };
    await observeCommand({ origin: 'api', type: 'RecordEngagement', streamId: `participant-${request.params.id}`, participantId: request.params.id, envelope }, async () => ({ replayed: false }));
    response.status(201).json({ received: request.body as unknown });
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  metrics.close();
  await provider.shutdown();
  trace.disable();
  context.disable();
});

beforeEach(() => exporter.reset());

/** Spans end when the response closes, just after the client has its answer. */
async function finishedSpans(count: number) {
  for (let tries = 0; exporter.getFinishedSpans().length < count && tries < 100; tries++) await new Promise((resolve) => setTimeout(resolve, 5));
  return exporter.getFinishedSpans();
}

describe('the HTTP server span', () => {
  it('continues the caller’s trace, is named by the route template, and is the parent of the command’s span (the body read in between)', async () => {
    const response = await fetch(`${baseUrl}/participants/${PARTICIPANT}/engagements?x=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01` },
      body: JSON.stringify({ kind: 'self-study', padding: 'x'.repeat(60_000) }),
    });
    expect(response.status).toBe(201);
    const spans = await finishedSpans(2);
    const serverSpan = spans.find((span) => span.kind === SpanKind.SERVER);
    const command = spans.find((span) => span.name === 'command RecordEngagement');
    expect(serverSpan).toMatchObject({ name: 'POST /participants/:id/engagements' });
    expect(serverSpan?.spanContext().traceId).toBe(CALLER_TRACE);
    expect(serverSpan?.parentSpanContext?.spanId).toBe(CALLER_SPAN);
    expect(serverSpan?.attributes).toMatchObject({ 'http.request.method': 'POST', 'http.route': '/participants/:id/engagements', 'http.response.status_code': 201 });
    expect(command?.parentSpanContext?.spanId).toBe(serverSpan?.spanContext().spanId);
    expect(command?.spanContext().traceId).toBe(CALLER_TRACE);
  });

  it('a request no route matched is named `unmatched`, never by its path', async () => {
    expect((await fetch(`${baseUrl}/nowhere/${PARTICIPANT}`)).status).toBe(404);
    const [span] = await finishedSpans(1);
    expect(span.name).toBe('GET unmatched');
    expect(span.parentSpanContext).toBeUndefined();
  });
});

describe('the HTTP request metrics', () => {
  it('count each request by method, route template and status class, with its duration; the command by type and outcome', async () => {
    const before = await metrics.metrics();
    await fetch(`${baseUrl}/participants/${PARTICIPANT}/engagements`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    await fetch(`${baseUrl}/nowhere/${PARTICIPANT}`);
    await finishedSpans(3);
    const text = await metrics.metrics();
    const count = (text: string, series: string) => Number(new RegExp(`^${series.replace(/[{}]/g, '\\$&')} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
    const posted = 'ecf_http_request_duration_seconds_count{method="POST",route="/participants/:id/engagements",status_class="2xx"}';
    expect(count(text, posted) - count(before, posted)).toBe(1);
    const unmatched = 'ecf_http_request_duration_seconds_count{method="GET",route="unmatched",status_class="4xx"}';
    expect(count(text, unmatched) - count(before, unmatched)).toBe(1);
    const accepted = 'ecf_commands_total{origin="api",type="RecordEngagement",outcome="accepted"}';
    expect(count(text, accepted) - count(before, accepted)).toBe(1);
    expect(text).not.toContain(PARTICIPANT);
  });
});
