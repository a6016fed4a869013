import { context, SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, NodeTracerProvider, ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DomainError, ParticipantEvent, participantStreamId } from '@ecf/domain';
import { ctx, dataValidationPassed, deferECT, ECT_ID, ectRegistered, MENTOR_ID, mentorMatched, mentorRegistered } from '@ecf/domain/testing';
import { SqliteEventStore } from '@ecf/event-store';
import { Checkpoints, openReadModelDatabase, ReadModelDatabase } from '@ecf/projections';
import { CommandEnvelope } from '../handle-command';
import { observeCommand } from '../observe-command';
import { handleParticipantCommand } from '../product-commands';
import { mentorCascadePolicy, participantCommandExecutor } from './mentor-cascade.policy';
import { PolicyRunner } from './policy-runner';

/**
 * The spans of a command and of the policy step it causes, as an OTLP backend would receive them (the
 * SDK with an in-memory exporter): the command under the caller's span, its append under it, the
 * traceparent kept in the event's metadata, and the mentor cascade in a trace of its own linked to the
 * command that wrote its trigger.
 */
let dir: string;
let store: SqliteEventStore;
let db: ReadModelDatabase;
let runner: PolicyRunner<unknown>;
const COMMAND_ID = '0b6f3c0e-0000-4000-9000-00000000d0f1';
const CORRELATION_ID = '0b6f3c0e-0000-4000-9000-00000000c0c0';
const envelope: CommandEnvelope = { commandId: COMMAND_ID, correlationId: CORRELATION_ID, causationId: COMMAND_ID, actor: { id: 'key-1', role: 'ecf-lead' } };

async function append(events: ParticipantEvent[]): Promise<void> {
  for (const [index, event] of events.entries()) {
    const id = `0b6f3c0e-0000-4000-9000-${String(index + 1).padStart(12, '0')}`;
    const metadata = { commandId: id, correlationId: id, causationId: id, actor: { id: 'test', role: 'dpl' }, schemaVersion: 1 };
    await store.appendToStream(participantStreamId(event.data.participantId), [{ eventId: id, type: event.type, data: event.data as unknown as Record<string, unknown>, metadata }], {
      expectedRevision: 'any',
    });
  }
}

/** DeferECT as an API handler runs it: the command span around load → decide → append. */
const deferTheEct = () =>
  observeCommand({ origin: 'api', type: 'DeferECT', streamId: participantStreamId(ECT_ID), participantId: ECT_ID, envelope }, () =>
    handleParticipantCommand(store, ECT_ID, () => deferECT(), envelope, () => ctx),
  );

const lastEventOf = async (participantId: string) => (await store.readStream(participantStreamId(participantId))).at(-1);

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ecf-policy-tracing-'));
  store = await SqliteEventStore.open({ filename: join(dir, 'events.sqlite') });
  db = await openReadModelDatabase({ kind: 'sqlite', filename: join(dir, 'read-models.sqlite') });
  await append([ectRegistered(), dataValidationPassed(), mentorRegistered(), dataValidationPassed(MENTOR_ID), mentorMatched()]);
  runner = new PolicyRunner(store, db, mentorCascadePolicy, participantCommandExecutor(store, () => ctx), new Checkpoints(db)) as PolicyRunner<unknown>;
  await runner.start();
  await runner.waitUntilCaughtUp();
});

afterEach(async () => {
  await runner.stop();
  await store.close();
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('tracing off (no SDK started)', () => {
  it('writes no traceparent into the metadata, and the cascade runs as before', async () => {
    await deferTheEct();
    await runner.waitUntilCaughtUp();
    expect((await lastEventOf(ECT_ID))?.metadata).not.toHaveProperty('traceparent');
    expect(await lastEventOf(MENTOR_ID)).toMatchObject({ type: 'ParticipantDeferred', metadata: { causationId: (await lastEventOf(ECT_ID))?.eventId } });
    expect((await lastEventOf(MENTOR_ID))?.metadata).not.toHaveProperty('traceparent');
  });
});

describe('tracing on', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

  beforeAll(() => provider.register());
  afterAll(async () => {
    await provider.shutdown();
    trace.disable();
    context.disable();
  });
  beforeEach(() => exporter.reset());

  const spanNamed = (name: string): ReadableSpan => {
    const found = exporter.getFinishedSpans().filter((span) => span.name === name);
    expect(found.map((span) => span.name)).toEqual([name]);
    return found[0];
  };
  const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
  const traceparentOf = (span: ReadableSpan) => `00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`;

  it('a command’s span sits under its caller’s, its append under it; the policy’s step is a trace of its own linked to that command, with its command and append under it', async () => {
    const http = trace.getTracer('test').startSpan('POST /ects/:id/deferral', { kind: SpanKind.SERVER });
    await context.with(trace.setSpan(context.active(), http), deferTheEct);
    http.end();
    // The first wait reaches the ECT's deferral, whose handling appends the mentor's; the second reaches that
    // one, so the policy's step on the mentor's deferral has ended too (one wait raced it on a loaded machine).
    await runner.waitUntilCaughtUp();
    await runner.waitUntilCaughtUp();

    const command = spanNamed('command DeferECT');
    expect(command.spanContext().traceId).toBe(http.spanContext().traceId);
    expect(parentOf(command)).toBe(http.spanContext().spanId);
    expect(command.attributes).toMatchObject({
      'ecf.command.type': 'DeferECT',
      'ecf.command.origin': 'api',
      'ecf.participant.id': ECT_ID,
      'ecf.command.id': COMMAND_ID,
      'ecf.correlation_id': CORRELATION_ID,
      'ecf.command.outcome': 'accepted',
    });

    const [ectAppend, mentorAppend] = exporter.getFinishedSpans().filter((span) => span.name === 'eventstore.append');
    expect(parentOf(ectAppend)).toBe(command.spanContext().spanId);
    expect(ectAppend.attributes).toMatchObject({ 'ecf.stream.id': participantStreamId(ECT_ID), 'ecf.append.events': 1, 'ecf.append.outcome': 'appended' });

    const trigger = await lastEventOf(ECT_ID);
    expect(trigger).toMatchObject({ type: 'ParticipantDeferred', metadata: { traceparent: traceparentOf(command) } });

    // The policy reacts to both deferrals: the ECT's (one command) and then the mentor's own (none).
    const [policy, onMentorDeferral] = exporter.getFinishedSpans().filter((span) => span.name === 'policy mentor-cascade');
    expect(parentOf(policy)).toBeUndefined();
    expect(policy.spanContext().traceId).not.toBe(command.spanContext().traceId);
    expect(policy.links.map((link) => link.context)).toEqual([expect.objectContaining({ traceId: command.spanContext().traceId, spanId: command.spanContext().spanId })]);
    expect(policy.attributes).toMatchObject({
      'ecf.policy': 'mentor-cascade',
      'ecf.event.type': 'ParticipantDeferred',
      'ecf.event.id': trigger?.eventId,
      'ecf.correlation_id': CORRELATION_ID,
      'ecf.causation_id': trigger?.eventId,
      'ecf.policy.commands': 1,
    });

    const cascaded = spanNamed('command DeferMentor');
    expect(parentOf(cascaded)).toBe(policy.spanContext().spanId);
    expect(cascaded.attributes).toMatchObject({ 'ecf.command.origin': 'policy', 'ecf.participant.id': MENTOR_ID, 'ecf.correlation_id': CORRELATION_ID, 'ecf.causation_id': trigger?.eventId, 'ecf.command.outcome': 'accepted' });
    expect(parentOf(mentorAppend)).toBe(cascaded.spanContext().spanId);
    expect(await lastEventOf(MENTOR_ID)).toMatchObject({ type: 'ParticipantDeferred', metadata: { causationId: trigger?.eventId, traceparent: traceparentOf(cascaded) } });
    expect(onMentorDeferral.links.map((link) => link.context.spanId)).toEqual([cascaded.spanContext().spanId]);
    expect(onMentorDeferral.attributes).toMatchObject({ 'ecf.event.id': (await lastEventOf(MENTOR_ID))?.eventId, 'ecf.policy.commands': 0 });
  });

  it('a retried command’s span says replayed; a rejected one’s carries the rejection’s code, and nothing is appended', async () => {
    await deferTheEct();
    await runner.waitUntilCaughtUp();
    exporter.reset();
    await expect(deferTheEct()).resolves.toMatchObject({ replayed: true });
    expect(spanNamed('command DeferECT').attributes).toMatchObject({ 'ecf.command.outcome': 'replayed' });

    exporter.reset();
    const again = { ...envelope, commandId: '0b6f3c0e-0000-4000-9000-00000000d0f2' };
    const rejected = observeCommand({ origin: 'api', type: 'DeferECT', streamId: participantStreamId(ECT_ID), envelope: again }, () =>
      handleParticipantCommand(store, ECT_ID, () => deferECT(), again, () => ctx),
    );
    const rejection = await rejected.then(
      () => null,
      (error: unknown) => error,
    );
    expect(rejection).toBeInstanceOf(DomainError);
    expect(spanNamed('command DeferECT').attributes).toMatchObject({ 'ecf.command.outcome': 'rejected', 'ecf.command.rejection_code': (rejection as DomainError).code });
    expect(exporter.getFinishedSpans().map((finished) => finished.name)).not.toContain('eventstore.append');
  });
});
