import { Module } from '@nestjs/common';
import type { DecisionContext } from '@ecf/domain';
import type { EventStore } from '@ecf/event-store';
import { TrnClaims } from '@ecf/runtime';
import { DECISION_CONTEXT, EVENT_STORE } from '../infrastructure/tokens';
import { RegisterParticipantHandler } from '../participants/register-participant.handler';
import { RegistrationsController } from '../participants/registrations.controller';
import { RegisterSchoolPartnershipHandler } from './register-school-partnership.handler';
import { SchoolsController } from './schools.controller';

/** Onboarding (seed 000): school partnerships, and ECTs, mentors and induction tutors registered with their TRN claimed. */
@Module({
  controllers: [SchoolsController, RegistrationsController],
  providers: [
    RegisterSchoolPartnershipHandler,
    RegisterParticipantHandler,
    { provide: TrnClaims, useFactory: (store: EventStore, context: () => DecisionContext) => new TrnClaims(store, context), inject: [EVENT_STORE, DECISION_CONTEXT] },
  ],
})
export class OnboardingModule {}
