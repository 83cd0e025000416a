/**
 * A rolling-window limiter: at most `limit` starts in any `windowMs`. One per portal for HubSpot's
 * 110 requests / 10 s, one more for search's 5 / s. Requests start back to back while the window
 * has room, then one each time a start leaves the window, so the whole budget is used.
 *
 * HubSpot counts a request when it arrives; this limiter counts it when it leaves. The window is
 * therefore a little longer than HubSpot's (not the limit lower): a request that takes up to that
 * margin to arrive is still counted in time, and the full 110 are spent.
 *
 * The budget is shared by every process of the app: `observeServerBudget` books what HubSpot's
 * `X-HubSpot-RateLimit-Remaining` reveals others spent, and `holdUntil` pauses after a 429.
 */
export class RollingWindowLimiter {
  /** Start times, oldest first; kept for two windows, so the count at an earlier start stays exact. */
  private readonly starts: number[] = [];
  private heldUntil = 0;
  private queue: Promise<void> = Promise.resolve();
  /** The configured limit, or HubSpot's own when its headers say it is lower. */
  private limit: number;

  constructor(
    limit: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.limit = limit;
  }

  /** Resolves with the start time when one more request may start; callers are served in order. */
  take(): Promise<number> {
    const turn = this.queue.then(() => this.waitForSlot());
    this.queue = turn.then(() => {}, () => {});
    return turn;
  }

  holdUntil(time: number): void {
    this.heldUntil = Math.max(this.heldUntil, time);
  }

  /**
   * What HubSpot answered to the request that started at `startedAt`: `remaining` of `max` left in
   * its window. What it counts beyond this limiter's own starts was spent by others; it is booked
   * as starts of now, so that this process leaves them their share. A `max` below this limiter's
   * limit becomes its limit. Returns the number booked.
   */
  observeServerBudget(startedAt: number, max: number, remaining: number): number {
    if (max > 0) this.limit = Math.min(this.limit, max);
    const spentElsewhere = max - remaining - this.startsInWindowEndingAt(startedAt);
    const now = this.now();
    for (let i = 0; i < spentElsewhere; i++) this.starts.push(now);
    return Math.max(0, spentElsewhere);
  }

  private startsInWindowEndingAt(time: number): number {
    let count = 0;
    for (let i = this.starts.length - 1; i >= 0 && this.starts[i] > time - this.windowMs; i--) {
      if (this.starts[i] <= time) count += 1;
    }
    return count;
  }

  private async waitForSlot(): Promise<number> {
    for (;;) {
      const now = this.now();
      while (this.starts.length > 0 && this.starts[0] <= now - 2 * this.windowMs) this.starts.shift();
      // When the window is full, the start that must leave it before there is room for one more.
      const full = this.startsInWindowEndingAt(now) >= this.limit;
      const wait = Math.max(this.heldUntil - now, full ? this.starts[this.starts.length - this.limit] + this.windowMs - now : 0);
      if (wait <= 0) {
        this.starts.push(now);
        return now;
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

/**
 * HubSpot's limits for a marketplace app, per installed portal: 110 requests in any rolling 10 s
 * and 5 searches a second, each window lengthened by the time a request may take to arrive.
 */
export const hubspotLimits = {
  general: { limit: 110, windowMs: 10_250 },
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
