import { Module } from '@nestjs/common';
import { CoachingRelationshipsController } from '../schools/coaching-relationships.controller';
import { ProgrammeController } from './programme.controller';
import { ProgrammeReader } from './programme-reader';

/** Programme views: release schedule, payment eligibility, Steplab access, coaching relationships. */
@Module({ controllers: [ProgrammeController, CoachingRelationshipsController], providers: [ProgrammeReader] })
export class ProgrammeModule {}
