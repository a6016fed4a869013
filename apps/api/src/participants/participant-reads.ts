import { Inject, Injectable } from '@nestjs/common';
import { readCurrentParticipant } from '@ecf/command-handling';
import { DomainError, ParticipantState } from '@ecf/domain';
import type { EventStore } from '@ecf/event-store';
import { findMentees, isTimeTravel, listParticipants, liveTables, participantAt, participantFrom, participantSummaryProjection, ReadModelDatabase, TimeTravel } from '@ecf/projections';
import type { Principal } from '@ecf/runtime';
import { SEES_PERSONAL_DATA } from '../auth/permissions';
import { EVENT_STORE, READ_MODEL_DB } from '../infrastructure/tokens';
import { ProblemException } from '../problem/problem';
import { ListParticipantsQueryDto } from './dto/list-participants.query';
import { ParticipantAccess, notFound } from './participant-access';
import { ParticipantHistory, toHistoryEntry } from './participant-history';
import { ParticipantPage, ParticipantView, toListItem, toParticipantView } from './participant.view';

/**
 * A participant as staff see them, their history and the list: read directly by the controller, as
 * every read in the API is (no query bus; ADR 0015). Scope is decided on the participant as they are now.
 */
@Injectable()
export class ParticipantReads {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_DB) private readonly readModels: ReadModelDatabase,
    private readonly access: ParticipantAccess,
  ) {}

  /** One participant, straight from their stream (always current: the tail past a kept fold is read first), with mentees from the read model. */
  async participant(principal: Principal, participantId: string, travel: TimeTravel = {}): Promise<ParticipantView> {
    const { state, revision } = isTimeTravel(travel) ? await this.participantThen(principal, participantId, travel) : await this.participantNow(principal, participantId);
    if (!state.registered) throw notRegisteredThen(participantId, travel);
    // Mentees come from the live read model, so a view of the past leaves them out rather than mix times.
    const menteeIds = state.type === 'ect' || isTimeTravel(travel) ? [] : (await this.mentees(participantId)).map((mentee) => mentee.participantId);
    return { ...toParticipantView(state, revision, menteeIds, SEES_PERSONAL_DATA.includes(principal.role)), ...travel };
  }

  private async participantNow(principal: Principal, participantId: string): Promise<{ state: ParticipantState; revision: number }> {
    const now = await readCurrentParticipant(this.store, participantId);
    if (!(await this.access.isVisible(principal, now.state))) throw notFound(participantId);
    return now;
  }

  /** Scope is decided on the participant as they are now; the view is the stream replayed to the time asked. */
  private async participantThen(principal: Principal, participantId: string, travel: TimeTravel): Promise<{ state: ParticipantState; revision: number }> {
    const now = await participantAt(this.store, participantId);
    if (!(await this.access.isVisible(principal, now.state))) throw notFound(participantId);
    return participantFrom(now.events, travel);
  }

  /** Every event of the participant in order, on the time axes asked for. */
  async history(principal: Principal, participantId: string, travel: TimeTravel = {}): Promise<ParticipantHistory> {
    const now = await participantAt(this.store, participantId);
    if (!(await this.access.isVisible(principal, now.state))) throw notFound(participantId);
    const { events } = isTimeTravel(travel) ? participantFrom(now.events, travel) : now;
    const showPersonal = SEES_PERSONAL_DATA.includes(principal.role);
    return { participantId, ...travel, events: events.map((event) => toHistoryEntry(event, showPersonal)) };
  }

  /** The participant list, from the participant-summary projection, always narrowed to the caller's scope. */
  async list(principal: Principal, filter: ListParticipantsQueryDto): Promise<ParticipantPage> {
    const showPersonal = SEES_PERSONAL_DATA.includes(principal.role);
    // Searching by name would reveal names to a role that may not read them, one guess at a time.
    if (filter.name !== undefined && !showPersonal) {
      throw new ProblemException(403, 'PERSONAL_DATA_NOT_VISIBLE', `The ${principal.role} role does not see names, so it cannot search by them.`, {
        nextStep: 'Search by TRN, school, cohort, type or status.',
      });
    }
    const table = await liveTables(this.readModels, participantSummaryProjection.name);
    const rows = await listParticipants(this.readModels, table, {
      ...filter,
      limit: filter.limit + 1,
      ...(principal.role === 'induction-tutor' ? { schoolUrns: principal.schoolUrns } : {}),
      ...(principal.role === 'ecf-lead' ? { deliveryPartnerId: principal.deliveryPartnerId ?? '' } : {}),
    });
    const page = rows.slice(0, filter.limit);
    return { items: page.map((row) => toListItem(row, showPersonal)), next: rows.length > filter.limit ? page[page.length - 1].participantId : null };
  }

  private async mentees(mentorId: string) {
    return findMentees(this.readModels, await liveTables(this.readModels, participantSummaryProjection.name), mentorId);
  }
}

export function notRegisteredThen(participantId: string, travel: TimeTravel): DomainError {
  const when = [travel.asOf && `as of ${travel.asOf}`, travel.knownAt && `as known at ${travel.knownAt}`].filter(Boolean).join(', ');
  return new DomainError('PARTICIPANT_NOT_FOUND', `Participant ${participantId} was not registered ${when}.`);
}
