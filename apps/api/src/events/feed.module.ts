import { Module } from '@nestjs/common';
import { EventsController } from './events.controller';
import { SchemasController } from './schemas.controller';

/** Audit and feed: the event log for reporting jobs (pages and a stream) and the schemas of its events. */
@Module({ controllers: [EventsController, SchemasController] })
export class FeedModule {}
