interface Window {
  readonly endsAt: number;
  hits: number;
}

export interface WindowCount {
  /** Hits counted in the current window, this one included. */
  readonly hits: number;
  /** Whole seconds until the window ends (what a Retry-After header says). */
  readonly secondsLeft: number;
  readonly overLimit: boolean;
}

/**
 * Counts hits per id in fixed windows, each starting at the id's first hit after the previous one
 * ended. One number per id, so the cost does not grow with the limit; ended windows are forgotten once
 * per window length, so ids that stop calling do not accumulate.
 */
export class FixedWindowCounter {
  private readonly windows = new Map<string, Window>();
  private lastSweep = 0;

  constructor(private readonly now: () => number = Date.now) {}

  hit(id: string, windowMs: number, limit: number): WindowCount {
    const now = this.now();
    this.sweep(now, windowMs);
    let window = this.windows.get(id);
    if (!window || window.endsAt <= now) {
      window = { endsAt: now + windowMs, hits: 0 };
      this.windows.set(id, window);
    }
    window.hits += 1;
    return { hits: window.hits, secondsLeft: Math.ceil((window.endsAt - now) / 1000), overLimit: window.hits > limit };
  }

  private sweep(now: number, windowMs: number): void {
    if (now - this.lastSweep < windowMs) return;
    this.lastSweep = now;
    for (const [id, window] of this.windows) if (window.endsAt <= now) this.windows.delete(id);
  }
}
