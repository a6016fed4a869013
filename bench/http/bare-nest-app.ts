import 'reflect-metadata';
import { Body, Controller, Get, HttpCode, Module, Param, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

/**
 * The HTTP baseline: a bare NestJS (platform-express) app whose routes do nothing but parse the
 * request and answer a small JSON body. The API's figures are read against it, measured with the
 * same load generator, connections and duration, on the same machine in the same run.
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

async function main(): Promise<void> {
  const app = await NestFactory.create(BareModule, { logger: ['error', 'warn'] });
  app.enableShutdownHooks();
  await app.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  console.warn(JSON.stringify({ msg: 'listening', port: address.port }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
