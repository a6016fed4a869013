import {
  DeferMentor,
  ReinstateParticipant,
  RequestWithdrawalReversal,
  ReturnFromDeferral,
  UpdateDeferralReturnDate,
  WithdrawMentor,
} from '../participant/participant.commands';
import { ParticipantEvent } from '../participant/participant.events';

/**
 * The mentor cascades of seed 004 as a pure policy: given an ECT's event and what is known about
 * their mentor just before it, the commands to issue for the mentor.
 *
 * - Deferring an ECT defers their mentor with the same return date, unless the mentor mentors
 *   another active ECT; a change to the ECT's return date, and the ECT's return, carry over.
 * - Withdrawing an ECT withdraws their mentor, unless the mentor has another active ECT or a DPL
 *   approved keeping them (retainMentor).
 * - A reversal of the ECT's withdrawal is requested for the mentor withdrawn with them too, and a DPL who
 *   reinstates the ECT with `includeCascadedMentor` reinstates that mentor in the same step.
 * - An induction tutor standing in as interim mentor is never deferred or withdrawn with the ECT.
 * - A pause cascades nothing: a mentor whose ECT is paused is not paused.
 */
export const MENTOR_CASCADE_POLICY = 'mentor-cascade';

export interface MentorCascadeFacts {
  /** The ECT's mentor just before the event (null when unmatched). */
  readonly mentorId: string | null;
  /** True when that mentor is the school's induction tutor covering as interim mentor. */
  readonly interim: boolean;
  /** True when the mentor mentors another ECT who is neither deferred nor withdrawn. */
  readonly mentorHasOtherActiveMentee: boolean;
  /** True while that mentor stays withdrawn by the cascade of this ECT's withdrawal. */
  readonly mentorWithdrawnWithEct: boolean;
}

export type MentorCascadeCommand = DeferMentor | UpdateDeferralReturnDate | ReturnFromDeferral | WithdrawMentor | RequestWithdrawalReversal | ReinstateParticipant;

/** ECT event types the cascade reacts to; every other event leaves the mentor alone. */
export const MENTOR_CASCADE_TRIGGERS = [
  'ParticipantDeferred',
  'DeferralReturnDateUpdated',
  'ReturnedFromDeferral',
  'ParticipantWithdrawn',
  'WithdrawalReversalRequested',
  'ParticipantReinstated',
] as const;

export function mentorCascade(event: ParticipantEvent, facts: MentorCascadeFacts): MentorCascadeCommand[] {
  const { mentorId } = facts;
  if (mentorId === null || facts.interim) return [];
  const ectId = event.data.participantId;
  // The policy carries over a decision already taken (and, for a long deferral, approved) on the ECT.
  const carriedOver = { byDpl: true, cascadedFromEctId: ectId };
  switch (event.type) {
    case 'ParticipantDeferred': {
      if (event.data.participantType !== 'ect' || facts.mentorHasOtherActiveMentee) return [];
      const { deferralDate, expectedReturnDate, reason, exceptionReason } = event.data;
      return [{ type: 'DeferMentor', data: { participantId: mentorId, deferralDate, expectedReturnDate, reason, exceptionReason, ...carriedOver } }];
    }
    case 'DeferralReturnDateUpdated': {
      const { expectedReturnDate, exceptionReason } = event.data;
      return [{ type: 'UpdateDeferralReturnDate', data: { participantId: mentorId, expectedReturnDate, exceptionReason, ...carriedOver } }];
    }
    case 'ReturnedFromDeferral':
      return [{ type: 'ReturnFromDeferral', data: { participantId: mentorId, returnDate: event.data.returnDate, cascadedFromEctId: ectId } }];
    case 'ParticipantWithdrawn': {
      if (event.data.participantType !== 'ect' || event.data.retainMentor || facts.mentorHasOtherActiveMentee) return [];
      return [
        {
          type: 'WithdrawMentor',
          data: { participantId: mentorId, withdrawalDate: event.data.withdrawalDate, reason: 'mentor-no-longer-being-mentor', ...carriedOver },
        },
      ];
    }
    case 'WithdrawalReversalRequested': {
      if (!facts.mentorWithdrawnWithEct) return [];
      // The ECT's own reason is one causation link away; repeating it could overrun the reason's length.
      const reason = `Requested with the reversal of ECT ${ectId}'s withdrawal, which withdrew this mentor.`;
      return [{ type: 'RequestWithdrawalReversal', data: { participantId: mentorId, reason, cascadedFromEctId: ectId } }];
    }
    case 'ParticipantReinstated':
      if (!event.data.includeCascadedMentor || !facts.mentorWithdrawnWithEct) return [];
      return [{ type: 'ReinstateParticipant', data: { participantId: mentorId, cascadedFromEctId: ectId } }];
    default:
      return [];
  }
}
