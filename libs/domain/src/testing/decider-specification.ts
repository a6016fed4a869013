import { Decider, DecisionContext, isRejection } from '../shared/decider';
import { DomainError, ErrorCode } from '../shared/domain-error';

/**
 * given(events).when(command).then(events) | .thenRejects(code) | .thenNothingHappens()
 * Expected events are compared in full, in order.
 */
export function deciderSpecification<State, Command, Event>(decider: Decider<State, Command, Event>, ctx: DecisionContext) {
  return {
    given(events: Event[]) {
      return {
        when(command: Command) {
          const decide = () => decider.decide(command, events.reduce(decider.evolve, decider.initialState()), ctx);
          return {
            then(expected: Event[]): void {
              const decision = decide();
              if (isRejection(decision)) throw new Error(`Expected events but the command was rejected: ${decision.code} ${decision.message}`);
              expect(decision).toEqual(expected);
            },
            thenRejects(code: ErrorCode, check?: (error: DomainError) => void): void {
              const decision = decide();
              if (!isRejection(decision)) throw new Error(`Expected ${code} but the command produced ${JSON.stringify(decision)}`);
              expect(decision.code).toBe(code);
              check?.(decision);
            },
            thenNothingHappens(): void {
              const decision = decide();
              if (isRejection(decision)) throw new Error(`Expected no events but the command was rejected: ${decision.code}`);
              expect(decision).toEqual([]);
            },
          };
        },
      };
    },
  };
}
