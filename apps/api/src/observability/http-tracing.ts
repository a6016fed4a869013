import { context, propagation, Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { NextFunction, Request, Response } from 'express';
import { tracer } from '@ecf/event-store/telemetry';
import { routeOf } from './http-route';

/**
 * The HTTP server span of a request, parent of the spans of the command or query it runs: continues
 * the caller's trace when it sends `traceparent`, named `METHOD /route/:template` once routed. The
 * request's and response's listeners are bound to it, so work resumed from stream events (the body
 * being read) stays in its context.
 */
export function traceRequest(request: Request, response: Response, next: NextFunction): void {
  const parent = propagation.extract(context.active(), request.headers);
  const span: Span = tracer.startSpan(
    request.method,
    {
      kind: SpanKind.SERVER,
      attributes: { 'http.request.method': request.method, 'url.path': request.path, 'url.scheme': request.protocol, 'client.address': request.ip ?? '' },
    },
    parent,
  );
  response.once('close', () => {
    const route = routeOf(request);
    span.updateName(`${request.method} ${route}`);
    span.setAttribute('http.route', route);
    if (response.writableFinished) {
      span.setAttribute('http.response.status_code', response.statusCode);
      if (response.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    } else {
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'the client closed the connection before the response ended' });
    }
    span.end();
  });
  const active = trace.setSpan(parent, span);
  context.bind(active, request);
  context.bind(active, response);
  context.with(active, next);
}
