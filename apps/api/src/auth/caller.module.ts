import { Module } from '@nestjs/common';
import { MeController } from './me.controller';

/** The caller: who the key is and what it may do (GET /me). Keys themselves are made with the CLI. */
@Module({ controllers: [MeController] })
export class CallerModule {}
