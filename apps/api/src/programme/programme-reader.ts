import { Inject, Injectable } from '@nestjs/common';
import {
  curriculumTrackOf,
  DecisionContext,
  foldTimeline,
  londonDateOf,
  ParticipantEvent,
  paymentEligibility,
  PaymentEligibilityRow,
  ProgrammeTimeline,
  releaseSchedule,
  ReleaseSchedule,
  steplabAccessView,
} from '@ecf/domain';
import { EventStore, RecordedEvent, toDomainEvent } from '@ecf/event-store';
import {
  findPaymentEligibility,
  findProgrammeTimeline,
  findReleaseSchedule,
  liveTables,
  PARTICIPANT_PROGRAMME_PROJECTION,
  isTimeTravel,
  participantAt,
  participantFrom,
  ReadModelDatabase,
  TimeTravel,
} from '@ecf/projections';
import type { Principal, ProgrammeCalendar } from '@ecf/runtime';
import { DECISION_CONTEXT, EVENT_STORE, PROGRAMME_CALENDAR, READ_MODEL_DB } from '../infrastructure/tokens';
import { notFound, ParticipantAccess } from '../participants/participant-access';
import { notRegisteredThen } from '../participants/participant-reads';
import { PaymentEligibilityView, ReleaseScheduleView, SteplabAccessView, toPaymentEligibilityView, toReleaseScheduleView, toSteplabAccessView } from './programme.views';

/** What a participant's programme view is computed from: the live read model, or a replay of their stream. */
type Source = { kind: 'read-model'; tables: Awaited<ReturnType<typeof liveTables>> } | { kind: 'replay'; timeline: ProgrammeTimeline };

/**
 * A participant's release schedule, payment eligibility and Steplab access. Now: from the
 * participant-programme read model. With ?asOf / ?knownAt: the stream replayed on those axes through
 * the same domain functions the projection calls (ADR 0005), so a view of the past cannot drift.
 */
@Injectable()
export class ProgrammeReader {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_DB) private readonly readModels: ReadModelDatabase,
    @Inject(DECISION_CONTEXT) private readonly context: () => DecisionContext,
    @Inject(PROGRAMME_CALENDAR) private readonly calendar: ProgrammeCalendar,
    private readonly access: ParticipantAccess,
  ) {}

  async releaseSchedule(principal: Principal, participantId: string, travel: TimeTravel): Promise<ReleaseScheduleView> {
    const { source, type } = await this.source(principal, participantId, travel);
    const schedule: ReleaseSchedule =
      source.kind === 'replay'
        ? releaseSchedule(source.timeline, this.calendar.curriculum)
        : ((await findReleaseSchedule(this.readModels, source.tables, participantId, curriculumTrackOf(type))) ?? releaseSchedule(await this.replayNow(participantId), this.calendar.curriculum));
    return { ...toReleaseScheduleView(participantId, schedule, this.dayOf(travel)), knownAt: travel.knownAt };
  }

  async paymentEligibility(principal: Principal, participantId: string, travel: TimeTravel): Promise<PaymentEligibilityView> {
    const { source } = await this.source(principal, participantId, travel);
    let rows: PaymentEligibilityRow[];
    if (source.kind === 'replay') rows = paymentEligibility(source.timeline, this.calendar.paymentSchedules);
    else {
      const stored = await findPaymentEligibility(this.readModels, source.tables, participantId);
      rows = stored.length > 0 || (await findProgrammeTimeline(this.readModels, source.tables, participantId)) ? stored : paymentEligibility(await this.replayNow(participantId), this.calendar.paymentSchedules);
    }
    return { ...toPaymentEligibilityView(participantId, rows, this.dayOf(travel)), knownAt: travel.knownAt };
  }

  async steplabAccess(principal: Principal, participantId: string, travel: TimeTravel): Promise<SteplabAccessView> {
    const { source } = await this.source(principal, participantId, travel);
    const timeline =
      source.kind === 'replay' ? source.timeline : ((await findProgrammeTimeline(this.readModels, source.tables, participantId)) ?? (await this.replayNow(participantId)));
    const at = this.instantOf(travel);
    return toSteplabAccessView(participantId, steplabAccessView(timeline, at), at);
  }

  /** The day states are read on: the effective date asked, the day of the recorded instant, or today. */
  private dayOf(travel: TimeTravel): string {
    return travel.asOf ?? (travel.knownAt !== undefined ? londonDateOf(new Date(travel.knownAt).toISOString()) : this.context().today);
  }

  /** The instant the Steplab deadline is judged at: the recorded instant, the end of the effective day, or now. */
  private instantOf(travel: TimeTravel): string {
    if (travel.knownAt !== undefined) return new Date(travel.knownAt).toISOString();
    if (travel.asOf !== undefined) return `${travel.asOf}T23:59:59.999Z`;
    return this.context().now;
  }

  private async source(principal: Principal, participantId: string, travel: TimeTravel): Promise<{ source: Source; type: ProgrammeTimeline['type'] }> {
    const now = await participantAt(this.store, participantId);
    if (!(await this.access.isVisible(principal, now.state))) throw notFound(participantId);
    if (!isTimeTravel(travel)) return { source: { kind: 'read-model', tables: await liveTables(this.readModels, PARTICIPANT_PROGRAMME_PROJECTION) }, type: now.state.type };
    const { events, state } = participantFrom(now.events, travel);
    if (!state.registered) throw notRegisteredThen(participantId, travel);
    return { source: { kind: 'replay', timeline: timelineOf(events) }, type: state.type };
  }

  /** A participant registered moments ago may not be projected yet: their stream answers instead. */
  private async replayNow(participantId: string): Promise<ProgrammeTimeline> {
    return timelineOf((await participantAt(this.store, participantId)).events);
  }
}

const timelineOf = (events: readonly RecordedEvent[]): ProgrammeTimeline =>
  foldTimeline(events.map((event) => ({ event: toDomainEvent<ParticipantEvent>(event), recordedAt: event.recordedAt })));
