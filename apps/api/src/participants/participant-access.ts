import { Inject, Injectable } from '@nestjs/common';
import { DomainError, ParticipantState, SchoolState } from '@ecf/domain';
import type { EventStore } from '@ecf/event-store';
import { readSchool, type Principal } from '@ecf/runtime';
import { canSeeSchool } from '../auth/scope';
import { EVENT_STORE } from '../infrastructure/tokens';
import { ProblemException } from '../problem/problem';

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

  /** Throws MOVE_OUTSIDE_SCOPE when, at the new school, the participant would no longer be visible to the caller moving them. */
  async assertMoveKeepsInScope(principal: Principal, state: ParticipantState, newSchoolUrn: string): Promise<void> {
    if (!canSeeSchool(principal, await this.school(newSchoolUrn), state.cohort)) throw moveOutsideScope(newSchoolUrn);
  }
}

export const notFound = (participantId: string): DomainError =>
  new DomainError('PARTICIPANT_NOT_FOUND', `No participant ${participantId} is registered (or it is outside your scope).`);

/**
 * Refused rather than allowed: a move the caller could not follow would leave them unable to see the
 * participant or move them back. Seed 004 puts a school change on the lead provider ("lead providers must
 * be able to continue to provide the programme to that early career teacher in a new school setting"), and
 * the DPL is the lead provider's own person, who sees every school.
 */
const moveOutsideScope = (newSchoolUrn: string): ProblemException =>
  new ProblemException(
    403,
    'MOVE_OUTSIDE_SCOPE',
    `School ${newSchoolUrn} has no partnership with your delivery partner for this participant's cohort: after the move you could no longer see the participant. A DPL can make this move; nothing was written.`,
    {
      rule: 'A move to a school outside the ECF Lead’s partnership is made by a DPL at the lead provider (seed 004, Other: school change).',
      nextStep: 'Ask your DPL to make the move (POST /participants/:id/school-change with the same body).',
      errors: [{ field: 'newSchoolUrn', code: 'MOVE_OUTSIDE_SCOPE', message: 'Outside your delivery partner’s schools for this cohort: a DPL can make the move.' }],
    },
  );
