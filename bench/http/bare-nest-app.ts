import 'reflect-metadata';
import { Body, Controller, Get, HttpCode, INestApplication, Module, Param, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { BARE_ADAPTERS, BareAdapter } from './bare-adapters';

/**
 * The HTTP baseline: a bare NestJS app whose routes do nothing but parse the request and answer a small
 * JSON body, on platform-express or (argument `fastify`) platform-fastify. The API's figures are read
 * against the faster of the two on each route, measured with the same load generator, connections and
 * duration, on the same machine in the same run.
 */
@Controller('bare')
class BareController {
  @Post(':id/commands')
  @HttpCode(200)
  command(@Param('id') id: string, @Body() body: Record<string, unknown>): { participantId: string; fields: number } {
    return { participantId: id, fields: Object.keys(body).length };
  }

  @Get(':id')
  query(@Param('id') id: string): { participantId: string } {
    return { participantId: id };
  }
}

@Module({ controllers: [BareController] })
class BareModule {}

async function main(adapter: BareAdapter): Promise<void> {
  const logger = ['error', 'warn'] as const;
  const app: INestApplication = adapter === 'fastify' ? await NestFactory.create(BareModule, new FastifyAdapter(), { logger: [...logger] }) : await NestFactory.create(BareModule, { logger: [...logger] });
  app.enableShutdownHooks();
  await app.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  console.warn(JSON.stringify({ msg: 'listening', port: address.port, adapter }));
}

const adapter = process.argv[2] ?? 'express';
if (!(BARE_ADAPTERS as readonly string[]).includes(adapter)) throw new Error(`bare-nest-app: unknown adapter ${adapter} (known: ${BARE_ADAPTERS.join(', ')})`);
main(adapter as BareAdapter).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
