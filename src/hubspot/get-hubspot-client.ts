/**
 * The one way the rest of Propensity talks to HubSpot: `hubspot.forPortal(portalId).call(client => ...)`,
 * one HTTP request per call. Below that line live the portal's token (refreshed in time), its own
 * rate limiters (HubSpot's client library has one process-wide limiter), retries of 429 and 5xx as
 * HubSpot advises and of requests left unanswered too long, and no retry of any other 4xx. A 401
 * gets one token refresh and one retry; a second 401 is reported as `PortalAccessLostError` (HubSpot:
 * a 401 is no sign of an uninstall, so nothing is deleted here — `src/install/` decides).
 *
 * The budget is taken here, before each attempt, not in a client middleware: @hubspot/api-client
 * 13.x never runs middleware given to `new Client` (fixed in 14.0.1, HubSpot/hubspot-api-nodejs#686).
 * A request made with a `…WithHttpInfo` method returns HubSpot's headers, and their
 * `X-HubSpot-RateLimit-*` tell the limiter what the app's other processes spent.
 */
import { Client } from '@hubspot/api-client';
import type { Connection } from 'mongoose';
import type { Logger } from '../log.ts';
import { bodyOf, PortalAccessLostError, statusOf } from './errors.ts';
import type { HubSpotApp } from './hubspot-app.ts';
import type { PortalTokens } from './portal-tokens.ts';
import { createPortalLimiters, hubspotLimits, type PortalLimiters } from './rate-limiter.ts';

export interface CallOptions {
  /** A CRM search: it also spends the search budget (5 a second). */
  search?: boolean;
}

export interface PortalHubSpot {
  portalId: number;
  /** Runs `request` (one HTTP request) with a client authorised for the portal, within its rate budget, with retries. */
  call<T>(request: (client: Client) => Promise<T>, options?: CallOptions): Promise<T>;
}

export interface HubSpotCallStats {
  requests: number;
  rateLimited: number;
  /** Requests HubSpot's headers showed the app's other processes spent, booked in this limiter. */
  spentElsewhere: number;
  retried: number;
  failed: number;
}

export interface HubSpotClientsOptions {
  limits?: typeof hubspotLimits;
  /** Retries after a 429 or a 5xx/network failure. Default 6. */
  maxRetries?: number;
  /** First backoff after a 5xx (doubles each time). Default 250 ms. */
  backoffMs?: number;
  /** A request HubSpot has not answered in this long is given up and retried like a network failure. Default 8 s. */
  requestTimeoutMs?: number;
}

export class HubSpotTimeoutError extends Error {
  override name = 'HubSpotTimeoutError';
  /** As a network failure: retried. */
  readonly code = 0;
  constructor(ms: number) {
    super(`HubSpot did not answer within ${ms} ms`);
  }
}

/**
 * `request` or a timeout, whichever comes first. The client library takes no abort signal, so a
 * stalled request is left to finish on its own and its answer dropped; every request Propensity
 * makes is safe to repeat (reads, writes of whole values, creates that answer 409 once done).
 */
function withTimeout<T>(request: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new HubSpotTimeoutError(ms)), ms);
  });
  request.catch(() => {}); // a late failure of an abandoned request is not unhandled
  return Promise.race([request, timeout]).finally(() => clearTimeout(timer));
}

export class HubSpotClients {
  private readonly limiters = new Map<number, PortalLimiters>();
  readonly stats = new Map<number, HubSpotCallStats>();
  private readonly maxRetries: number;
  private readonly backoffMs: number;
  private readonly requestTimeoutMs: number;

  constructor(
    private readonly connection: Connection,
    private readonly app: HubSpotApp,
    private readonly tokens: PortalTokens,
    private readonly logger: Logger,
    private readonly options: HubSpotClientsOptions = {},
  ) {
    this.maxRetries = options.maxRetries ?? 6;
    this.backoffMs = options.backoffMs ?? 250;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 8_000;
  }

  forPortal(portalId: number): PortalHubSpot {
    return { portalId, call: (request, options) => this.call(portalId, request, options) };
  }

  statsFor(portalId: number): HubSpotCallStats {
    let stats = this.stats.get(portalId);
    if (!stats) this.stats.set(portalId, (stats = { requests: 0, rateLimited: 0, spentElsewhere: 0, retried: 0, failed: 0 }));
    return stats;
  }

  private limitersFor(portalId: number): PortalLimiters {
    let limiters = this.limiters.get(portalId);
    if (!limiters) this.limiters.set(portalId, (limiters = createPortalLimiters(this.options.limits)));
    return limiters;
  }

  private async call<T>(portalId: number, request: (client: Client) => Promise<T>, options: CallOptions = {}): Promise<T> {
    const stats = this.statsFor(portalId);
    const limiters = this.limitersFor(portalId);
    let { token, version } = await this.tokens.accessToken(portalId);
    let refreshedAfter401 = false;
    let replacements = 0;
    for (let attempt = 0; ; attempt++) {
      if (options.search) await limiters.search.take();
      const startedAt = await limiters.general.take();
      stats.requests += 1;
      try {
        const answer = await withTimeout(request(new Client({ accessToken: token, basePath: this.app.apiBaseUrl, numberOfApiCallRetries: 0 })), this.requestTimeoutMs);
        this.observeBudget(portalId, startedAt, answer);
        return answer;
      } catch (error) {
        const budgetKnown = this.observeBudget(portalId, startedAt, error);
        const status = statusOf(error);
        if (status === 401) {
          // A token stored by another process may be the rejected one's successor: then one more try, with a refresh.
          if (refreshedAfter401 || replacements >= 2) {
            this.tokens.forget(portalId);
            stats.failed += 1;
            this.logger.warn({ portalId }, 'HubSpot refused a freshly refreshed token (401 twice)');
            throw new PortalAccessLostError(portalId, 'access-refused');
          }
          let refreshed: boolean;
          ({ token, version, refreshed } = await this.tokens.replaceRejected(portalId, version));
          refreshedAfter401 = refreshed;
          replacements += 1;
          continue;
        }
        const retriable = status === 429 || status === 0 || status >= 500;
        if (!retriable || attempt >= this.maxRetries || error instanceof PortalAccessLostError) {
          stats.failed += 1;
          throw error;
        }
        stats.retried += 1;
        await new Promise((resolve) => setTimeout(resolve, this.retryDelay(portalId, status, attempt, error, budgetKnown)));
      }
    }
  }

  /**
   * After a 429 whose headers showed HubSpot's count, the limiter holds the portal's requests until
   * the window has room: the retry only backs off briefly. Without them, all requests pause.
   */
  private retryDelay(portalId: number, status: number, attempt: number, error: unknown, budgetKnown: boolean): number {
    if (status === 429) {
      this.statsFor(portalId).rateLimited += 1;
      const rolling = bodyOf(error).policyName === 'TEN_SECONDLY_ROLLING';
      if (rolling && budgetKnown) return this.backoffMs * 2 ** attempt;
      // HubSpot: back off for the policy's interval; search limits are per second.
      const pause = rolling ? 2_000 * (attempt + 1) : 1_000;
      this.limitersFor(portalId).general.holdUntil(Date.now() + pause);
      return pause;
    }
    return this.backoffMs * 2 ** attempt;
  }

  /**
   * Books what HubSpot's rate-limit headers (on a `…WithHttpInfo` answer or an error) say others
   * spent; false when the answer had none.
   */
  private observeBudget(portalId: number, startedAt: number, answer: unknown): boolean {
    const headers = (answer as { headers?: Record<string, string> } | null)?.headers;
    const max = Number(headers?.['x-hubspot-ratelimit-max']);
    const remaining = Number(headers?.['x-hubspot-ratelimit-remaining']);
    if (!Number.isFinite(max) || !Number.isFinite(remaining)) return false;
    this.statsFor(portalId).spentElsewhere += this.limitersFor(portalId).general.observeServerBudget(startedAt, max, remaining);
    return true;
  }
}
