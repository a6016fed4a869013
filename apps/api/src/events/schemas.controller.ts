import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { EventSchemaRegistry, loadEventSchemas } from '@ecf/event-schemas';
import { PublicRoute } from '../auth/auth.decorators';
import { ProblemException } from '../problem/problem';
import { asyncApiDocument } from './asyncapi';

/** The published contract of the event feed: one JSON Schema per event type and version. */
@ApiTags('event feed')
@Controller('schemas')
export class SchemasController {
  private readonly registry: EventSchemaRegistry = loadEventSchemas();

  @Get()
  @PublicRoute()
  @ApiOperation({ summary: 'Every event type with its schema versions and the JSON Schema of each (draft 2020-12)' })
  list() {
    return {
      eventTypes: this.registry.types.map((type) => {
        const latestVersion = this.registry.latestVersion(type);
        const versions = Array.from({ length: latestVersion }, (_, index) => index + 1);
        return { type, latestVersion, schemas: Object.fromEntries(versions.map((version) => [`v${version}`, this.registry.schema(type, version)])) };
      }),
    };
  }

  @Get('asyncapi.json')
  @PublicRoute()
  @ApiOperation({ summary: 'AsyncAPI 2.6 document of the event feed (/events and /events/stream), with every event type’s schema' })
  asyncApi() {
    return asyncApiDocument(this.registry, '1');
  }

  @Get(':type')
  @PublicRoute()
  @ApiOperation({ summary: 'The latest JSON Schema of one event type' })
  one(@Param('type') type: string) {
    if (!this.registry.types.includes(type)) {
      throw new ProblemException(404, 'EVENT_TYPE_NOT_FOUND', `No event type ${type}; GET /schemas lists them.`);
    }
    return this.registry.schema(type, this.registry.latestVersion(type));
  }
}
