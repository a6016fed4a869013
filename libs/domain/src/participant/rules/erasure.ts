import { Decision, DecisionContext } from '../../shared/decider';
import { FieldChecks } from '../../shared/field-checks';
import { ErasePersonalData } from '../participant.commands';
import { ParticipantEvent } from '../participant.events';
import { ParticipantState } from '../participant.state';

/**
 * ErasePersonalData (UK GDPR): records that the participant's personal details were erased. The
 * details themselves become unreadable because their key is destroyed outside the log; every other
 * fact stays, so the history still replays. Erasing twice changes nothing.
 */
export function erasePersonalData(command: ErasePersonalData, state: ParticipantState, ctx: DecisionContext): Decision<ParticipantEvent> {
  const invalid = new FieldChecks().text(command.data.reason, 'reason', 500).result();
  if (invalid) return invalid;
  if (state.personalDataErasedOn !== null) return [];
  return [{ type: 'PersonalDataErased', data: { participantId: command.data.participantId, erasedOn: ctx.today, reason: command.data.reason.trim() } }];
}
