import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Database } from 'better-sqlite3';
import { participantDecider, participantStreamId } from '@ecf/domain';
import { aggregateStream, EventStore } from '@ecf/event-store';
import { findMentees, listParticipants } from '@ecf/projections';
import type { Principal } from '@ecf/runtime';
import { SEES_PERSONAL_DATA } from '../auth/permissions';
import { EVENT_STORE, READ_MODEL_DB } from '../infrastructure/tokens';
import { ListParticipantsQueryDto } from './dto/list-participants.query';
import { ParticipantAccess, notFound } from './participant-access';
import { ParticipantPage, ParticipantView, toListItem, toParticipantView } from './participant.view';

export class GetParticipantQuery {
  constructor(
    readonly principal: Principal,
    readonly participantId: string,
  ) {}
}

export class ListParticipantsQuery {
  constructor(
    readonly principal: Principal,
    readonly filter: ListParticipantsQueryDto,
  ) {}
}

/** One participant, straight from their stream (always current), with mentees from the read model. */
@QueryHandler(GetParticipantQuery)
export class GetParticipantHandler implements IQueryHandler<GetParticipantQuery, ParticipantView> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_DB) private readonly readModels: Database,
    private readonly access: ParticipantAccess,
  ) {}

  async execute({ principal, participantId }: GetParticipantQuery): Promise<ParticipantView> {
    const { state, revision } = await aggregateStream(this.store, participantDecider, participantStreamId(participantId));
    if (!(await this.access.isVisible(principal, state))) throw notFound(participantId);
    const menteeIds = state.type === 'ect' ? [] : findMentees(this.readModels, participantId).map((mentee) => mentee.participantId);
    return toParticipantView(state, revision, menteeIds, SEES_PERSONAL_DATA.includes(principal.role));
  }
}

/** The participant list, from the participant-summary projection, always narrowed to the caller's scope. */
@QueryHandler(ListParticipantsQuery)
export class ListParticipantsHandler implements IQueryHandler<ListParticipantsQuery, ParticipantPage> {
  constructor(@Inject(READ_MODEL_DB) private readonly readModels: Database) {}

  async execute({ principal, filter }: ListParticipantsQuery): Promise<ParticipantPage> {
    const rows = listParticipants(this.readModels, {
      ...filter,
      limit: filter.limit + 1,
      ...(principal.role === 'induction-tutor' ? { schoolUrns: principal.schoolUrns } : {}),
      ...(principal.role === 'ecf-lead' ? { deliveryPartnerId: principal.deliveryPartnerId ?? '' } : {}),
    });
    const page = rows.slice(0, filter.limit);
    const showPersonal = SEES_PERSONAL_DATA.includes(principal.role);
    return { items: page.map((row) => toListItem(row, showPersonal)), next: rows.length > filter.limit ? page[page.length - 1].participantId : null };
  }
}
