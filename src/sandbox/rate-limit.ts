/**
 * HubSpot's rate limits for OAuth apps, per installed portal: 110 requests in any rolling 10 s,
 * and search's own 5 per second. Every answer carries `X-HubSpot-RateLimit-*`; past a limit the
 * answer is 429 with HubSpot's body, which `@hubspot/api-client` recognises and retries.
 */
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { apiContext } from './api-context.ts';
import type { SandboxState } from './sandbox-state.ts';

const TEN_SECONDS = 10_000;

/** Rolling windows of request start times, one per key. */
export class RollingWindows {
  private readonly windows = new Map<string, number[]>();

  /** Takes one request from the window; returns the budget left, or -1 when it is spent (nothing taken). */
  take(key: string, limit: number, windowMs: number, now = Date.now()): number {
    let starts = this.windows.get(key);
    if (!starts) this.windows.set(key, (starts = []));
    let expired = 0;
    while (expired < starts.length && starts[expired] <= now - windowMs) expired++;
    if (expired > 0) starts.splice(0, expired);
    if (starts.length >= limit) return -1;
    starts.push(now);
    return limit - starts.length;
  }
}

export function isSearch(req: Request): boolean {
  return req.method === 'POST' && /^\/crm\/v3\/objects\/[^/]+\/search\/?$/.test(req.baseUrl + req.path);
}

export function rateLimit(state: SandboxState, windows = new RollingWindows()) {
  return (req: Request, res: Response, next: NextFunction) => {
    const { token, portal } = apiContext(res);
    const limits = state.rateLimitFor(portal.id);
    state.count(`requests:${portal.id}`);
    const remaining = windows.take(`ten:${portal.id}:${token.appId}`, limits.perTenSeconds, TEN_SECONDS);
    res.set({
      'X-HubSpot-RateLimit-Interval-Milliseconds': String(TEN_SECONDS),
      'X-HubSpot-RateLimit-Max': String(limits.perTenSeconds),
      'X-HubSpot-RateLimit-Remaining': String(Math.max(0, remaining)),
    });
    if (remaining < 0) {
      state.count(`429:${portal.id}`);
      res.status(429).json({
        status: 'error', message: 'You have reached your ten_secondly_rolling limit.', errorType: 'RATE_LIMIT', correlationId: randomUUID(),
        policyName: 'TEN_SECONDLY_ROLLING', groupName: `publicapi:oauth:${token.appId}:${portal.id}`,
      });
      return;
    }
    if (isSearch(req)) {
      state.count(`search:${portal.id}`);
      const left = windows.take(`search:${portal.id}:${token.appId}`, limits.searchPerSecond, 1_000);
      res.set({ 'X-HubSpot-RateLimit-Secondly': String(limits.searchPerSecond), 'X-HubSpot-RateLimit-Secondly-Remaining': String(Math.max(0, left)) });
      if (left < 0) {
        state.count(`429:${portal.id}`);
        res.status(429).json({ status: 'error', message: 'You have reached your secondly limit.', errorType: 'RATE_LIMIT', correlationId: randomUUID(), policyName: 'SECONDLY' });
        return;
      }
    }
    next();
  };
}
