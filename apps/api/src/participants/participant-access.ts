import { Inject, Injectable } from '@nestjs/common';
import { DomainError, ParticipantState, SchoolState } from '@ecf/domain';
import type { EventStore } from '@ecf/event-store';
import { readSchool, type Principal } from '@ecf/runtime';
import { canSeeSchool } from '../auth/scope';
import { EVENT_STORE } from '../infrastructure/tokens';

/** Scope checks against the source of truth: the school's own stream. Outside scope looks like "not found". */
@Injectable()
export class ParticipantAccess {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async school(urn: string): Promise<SchoolState> {
    return readSchool(this.store, urn);
  }

  /** The same checks for one command, each school's stream read at most once (the participant's and its mentor's school are often one). */
  forOneCommand(): ParticipantAccess {
    const reads = new Map<string, Promise<SchoolState>>();
    const once = Object.create(this) as ParticipantAccess;
    once.school = (urn) => {
      const read = reads.get(urn) ?? readSchool(this.store, urn);
      reads.set(urn, read);
      return read;
    };
    return once;
  }

  /** Throws PARTICIPANT_NOT_FOUND unless the participant exists and is in the caller's scope. */
  async assertVisible(principal: Principal, participantId: string, state: ParticipantState): Promise<void> {
    if (!(await this.isVisible(principal, state))) throw notFound(participantId);
  }

  async isVisible(principal: Principal, state: ParticipantState): Promise<boolean> {
    if (!state.registered || state.schoolUrn === null) return false;
    return canSeeSchool(principal, await this.school(state.schoolUrn), state.cohort);
  }
}

export const notFound = (participantId: string): DomainError =>
  new DomainError('PARTICIPANT_NOT_FOUND', `No participant ${participantId} is registered (or it is outside your scope).`);
