/**
 * A rolling-window limiter: at most `limit` starts in any `windowMs`. One per portal for HubSpot's
 * 110 requests / 10 s, one more for search's 5 / s. `holdUntil` pauses it after a 429 or when
 * HubSpot's `X-HubSpot-RateLimit-Remaining` says the budget is spent (other processes share it).
 */
export class RollingWindowLimiter {
  private readonly starts: number[] = [];
  private heldUntil = 0;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Resolves when one more request may start; callers are served in order. */
  take(): Promise<void> {
    const turn = this.queue.then(() => this.waitForSlot());
    this.queue = turn.catch(() => {});
    return turn;
  }

  holdUntil(time: number): void {
    this.heldUntil = Math.max(this.heldUntil, time);
  }

  private async waitForSlot(): Promise<void> {
    for (;;) {
      const now = this.now();
      while (this.starts.length > 0 && this.starts[0] < now - this.windowMs) this.starts.shift();
      const wait = Math.max(
        this.heldUntil - now,
        this.starts.length >= this.limit ? this.starts[0] + this.windowMs - now + 1 : 0,
      );
      if (wait <= 0) {
        this.starts.push(now);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

/** HubSpot's limits for a marketplace app, per installed portal, with a small safety margin. */
export const hubspotLimits = {
  general: { limit: 105, windowMs: 10_000 },
  search: { limit: 5, windowMs: 1_100 },
};

export interface PortalLimiters {
  general: RollingWindowLimiter;
  search: RollingWindowLimiter;
}

export function createPortalLimiters(limits = hubspotLimits): PortalLimiters {
  return {
    general: new RollingWindowLimiter(limits.general.limit, limits.general.windowMs),
    search: new RollingWindowLimiter(limits.search.limit, limits.search.windowMs),
  };
}
