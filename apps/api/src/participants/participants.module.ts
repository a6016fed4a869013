import { Module } from '@nestjs/common';
import { ParticipantReads } from './participant-reads';
import { ParticipantsController } from './participants.controller';

/** A participant as staff see them, their list, and their history for auditors (both time axes). */
@Module({ controllers: [ParticipantsController], providers: [ParticipantReads] })
export class ParticipantsModule {}
