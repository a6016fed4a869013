import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Metrics } from '@ecf/runtime/observability';
import { routeOf } from './http-route';

/** Every request's method, route template, status class and duration, recorded when its response ends (or the client goes away). */
export function measureRequests(metrics: Metrics): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    const started = performance.now();
    response.once('close', () => {
      metrics.observeHttp(request.method, routeOf(request), response.writableFinished ? response.statusCode : 'aborted', (performance.now() - started) / 1000);
    });
    next();
  };
}
