import { Global, Module } from '@nestjs/common';
import { ParticipantAccess } from '../participants/participant-access';
import { IdempotencyKeys } from './idempotency-keys';

/** What every capability's commands and reads share: Idempotency-Key bindings and the caller's scope over participants. */
@Global()
@Module({ providers: [IdempotencyKeys, ParticipantAccess], exports: [IdempotencyKeys, ParticipantAccess] })
export class CommandsModule {}
