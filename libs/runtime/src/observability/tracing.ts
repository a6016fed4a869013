import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider, SpanProcessor } from '@opentelemetry/sdk-trace-node';

export interface Tracing {
  /** Sends the spans still buffered and stops the SDK (call on shutdown). */
  shutdown(): Promise<void>;
}

let running: NodeTracerProvider | null = null;

/** True while startTracing's SDK runs in this process. */
export const tracingStarted = (): boolean => running !== null;

/** Sends the spans still buffered and stops the SDK started by startTracing, if any (on shutdown). */
export async function stopTracing(): Promise<void> {
  const provider = running;
  running = null;
  await provider?.shutdown();
}

/**
 * Starts OpenTelemetry tracing when an OTLP endpoint is configured by the standard variables
 * (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT or OTEL_EXPORTER_OTLP_ENDPOINT; OTLP over HTTP with protobuf)
 * and OTEL_SDK_DISABLED is not true; otherwise starts nothing and answers null: the tracer stays the
 * API's no-op. The exporter and the batch processor read their other standard variables themselves
 * (OTEL_EXPORTER_OTLP_HEADERS, _TIMEOUT, _COMPRESSION, OTEL_BSP_*), the provider OTEL_TRACES_SAMPLER
 * (default: parent-based, always on); OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES name the process.
 * `processors` replaces the OTLP exporter (tests pass an in-memory one).
 */
export function startTracing(serviceName: string, env: NodeJS.ProcessEnv = process.env, processors?: SpanProcessor[]): Tracing | null {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return null;
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!endpoint && !processors) return null;
  const resource = defaultResource()
    .merge(resourceFromAttributes({ 'service.name': serviceName }))
    .merge(detectResources({ detectors: [envDetector] }));
  const provider = new NodeTracerProvider({ resource, spanProcessors: processors ?? [new BatchSpanProcessor(new OTLPTraceExporter())] });
  // Registers the provider, the AsyncLocalStorage context manager and the W3C trace-context propagator.
  provider.register();
  running = provider;
  return { shutdown: stopTracing };
}
