import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { join } from 'node:path';
import { projectRoot, type AppConfig } from '@ecf/runtime';
import { Metrics, tracingStarted } from '@ecf/runtime/observability';
import { AppModule } from './app.module';
import { requestValidationPipe } from './commands/validation.pipe';
import { BODY_LIMIT_BYTES, markUndecodableBody, verifyJsonBody } from './http/json-body';
import { measureRequests } from './observability/http-metrics';
import { traceRequest } from './observability/http-tracing';

/** apps/console as built by `npm run build`: static files that call this API like any other client. */
const CONSOLE_DIR = join(projectRoot(), 'dist', 'console');

export async function createApp(config: AppConfig): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(Logger));
  // First of all middleware, so a request is measured (and traced, with OTEL_EXPORTER_OTLP_ENDPOINT) from its start.
  app.use(measureRequests(app.get(Metrics)));
  if (tracingStarted()) app.use(traceRequest);
  app.useBodyParser('json', { limit: BODY_LIMIT_BYTES, type: ['application/json', 'application/*+json'], verify: verifyJsonBody });
  app.use(markUndecodableBody);
  app.disable('x-powered-by');
  // Helmet's defaults, with styles and data: images allowed for the OpenAPI UI at /docs.
  app.use(helmet({ contentSecurityPolicy: { directives: { 'style-src': ["'self'", "'unsafe-inline'"], 'img-src': ["'self'", 'data:'] } } }));
  // CORS is closed unless CORS_ORIGINS names the browser origins that may call the API.
  if (config.corsOrigins.length > 0) app.enableCors({ origin: [...config.corsOrigins], allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'If-Match', 'X-Correlation-Id', 'Last-Event-ID'], exposedHeaders: ['ETag'] });
  // The only ETag is a participant's revision (sent as If-Match); Express's body-hash ETags would be mistaken for one.
  app.set('etag', false);
  // req.ip (the address failed authentications are counted against) is the connection's own unless
  // TRUST_PROXY names the proxies whose X-Forwarded-For may be believed.
  app.set('trust proxy', config.trustProxy);
  // The web console: plain files under the API's own security headers (its scripts and styles are files, never inline).
  app.useStaticAssets(CONSOLE_DIR, { prefix: '/console', etag: false, maxAge: 0 });
  // Someone who opens the address the API prints wants the console; it asks for its key itself, so no auth here.
  app.use((request: Request, response: Response, next: NextFunction) => {
    if ((request.method === 'GET' || request.method === 'HEAD') && request.path === '/') response.redirect(302, '/console/');
    else next();
  });
  app.useGlobalPipes(requestValidationPipe);
  app.enableShutdownHooks();

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('ECF induction engine')
      .setDescription(
        'Commands and queries of the event-sourced back office for an Early Career Framework lead provider. ' +
          'Errors are application/problem+json with a stable `code`.',
      )
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key created with `ecf keys create`' })
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}
