// Tracing and measurement of the command path (see observations.ts); imported as @ecf/event-store/telemetry.
export * from './observations';
export * from './observe-append';
export * from './traceparent';
export * from './pools';
