import { Module } from '@nestjs/common';
import { CascadePreview } from './cascade-preview';
import { LifecycleController } from './lifecycle.controller';
import { ChangeParticipantHandler } from './participant-command.handler';

/** The lifecycle (seed 004) and every other command on an existing participant, with the cascades a dry run previews. */
@Module({ controllers: [LifecycleController], providers: [ChangeParticipantHandler, CascadePreview] })
export class LifecycleModule {}
