/**
 * Facts a command needs from other streams (scope, the proposed mentor, the school moved to), gathered
 * once per command rather than on every attempt of the retry loop: the closure handleCommand calls with
 * each attempt's state reads them on the first attempt and reuses them while the part of the state they
 * were drawn from (`basis`) is unchanged. A conflict retried after a concurrent transfer, say, changes the
 * basis and gathers them again, so a decision is still taken on facts that match the revision it appends to.
 */
export function enrichOnce<State, Facts>(basis: (state: State) => string, gather: (state: State) => Promise<Facts>): (state: State) => Promise<Facts> {
  let gathered: { readonly basis: string; readonly facts: Promise<Facts> } | null = null;
  return (state) => {
    const current = basis(state);
    if (gathered?.basis !== current) gathered = { basis: current, facts: gather(state) };
    return gathered.facts;
  };
}
