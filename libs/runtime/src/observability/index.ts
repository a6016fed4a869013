// Metrics (Prometheus) and traces (OpenTelemetry) of the apps; imported as @ecf/runtime/observability.
export * from './metrics';
export * from './metrics-server';
export * from './tracing';
