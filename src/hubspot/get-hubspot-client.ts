/**
 * The one way the rest of Propensity talks to HubSpot: `hubspot.forPortal(portalId).call(client => ...)`.
 * Below that line live the portal's token (refreshed in time), its own rate limiters (HubSpot's
 * client library has one process-wide limiter), retries of 429 and 5xx as HubSpot advises, and no
 * retry of any other 4xx. A 401 gets one token refresh; a second 401 means access was revoked.
 */
import { Client } from '@hubspot/api-client';
import type { Connection } from 'mongoose';
import { uninstallPortal } from '../install/uninstall-portal.ts';
import type { Logger } from '../log.ts';
import { bodyOf, PortalUninstalledError, statusOf } from './errors.ts';
import type { HubSpotApp } from './hubspot-app.ts';
import type { PortalTokens } from './portal-tokens.ts';
import { createPortalLimiters, hubspotLimits, type PortalLimiters } from './rate-limiter.ts';

export interface PortalHubSpot {
  portalId: number;
  /** Runs `request` with a client authorised for the portal, within its rate budget, with retries. */
  call<T>(request: (client: Client) => Promise<T>): Promise<T>;
}

export interface HubSpotCallStats {
  requests: number;
  rateLimited: number;
  retried: number;
  failed: number;
}

export interface HubSpotClientsOptions {
  limits?: typeof hubspotLimits;
  /** Retries after a 429 or a 5xx/network failure. Default 6. */
  maxRetries?: number;
  /** First backoff after a 5xx (doubles each time). Default 250 ms. */
  backoffMs?: number;
}

type Middleware = { pre(ctx: unknown): unknown; post(ctx: unknown): unknown };

export class HubSpotClients {
  private readonly limiters = new Map<number, PortalLimiters>();
  readonly stats = new Map<number, HubSpotCallStats>();
  private readonly maxRetries: number;
  private readonly backoffMs: number;

  constructor(
    private readonly connection: Connection,
    private readonly app: HubSpotApp,
    private readonly tokens: PortalTokens,
    private readonly logger: Logger,
    private readonly options: HubSpotClientsOptions = {},
  ) {
    this.maxRetries = options.maxRetries ?? 6;
    this.backoffMs = options.backoffMs ?? 250;
  }

  forPortal(portalId: number): PortalHubSpot {
    return { portalId, call: (request) => this.call(portalId, request) };
  }

  statsFor(portalId: number): HubSpotCallStats {
    let stats = this.stats.get(portalId);
    if (!stats) this.stats.set(portalId, (stats = { requests: 0, rateLimited: 0, retried: 0, failed: 0 }));
    return stats;
  }

  private limitersFor(portalId: number): PortalLimiters {
    let limiters = this.limiters.get(portalId);
    if (!limiters) this.limiters.set(portalId, (limiters = createPortalLimiters(this.options.limits)));
    return limiters;
  }

  private async call<T>(portalId: number, request: (client: Client) => Promise<T>): Promise<T> {
    const stats = this.statsFor(portalId);
    let { token, version } = await this.tokens.accessToken(portalId);
    let refreshedAfter401 = false;
    for (let attempt = 0; ; attempt++) {
      try {
        return await request(this.clientFor(portalId, token));
      } catch (error) {
        const status = statusOf(error);
        if (status === 401) {
          if (refreshedAfter401) {
            await uninstallPortal(this.connection, portalId, 'access-revoked');
            this.tokens.forget(portalId);
            this.logger.warn({ portalId }, 'HubSpot refused a freshly refreshed token: access revoked; portal data deleted');
            throw new PortalUninstalledError(portalId, 'access revoked');
          }
          ({ token, version } = await this.tokens.replaceRejected(portalId, version));
          refreshedAfter401 = true;
          continue;
        }
        const retriable = status === 429 || status === 0 || status >= 500;
        if (!retriable || attempt >= this.maxRetries || error instanceof PortalUninstalledError) {
          stats.failed += 1;
          throw error;
        }
        stats.retried += 1;
        await new Promise((resolve) => setTimeout(resolve, this.retryDelay(portalId, status, attempt, error)));
      }
    }
  }

  private retryDelay(portalId: number, status: number, attempt: number, error: unknown): number {
    if (status === 429) {
      this.statsFor(portalId).rateLimited += 1;
      const body = bodyOf(error);
      const limiters = this.limitersFor(portalId);
      // HubSpot: back off for the policy's interval; search limits are per second.
      const pause = body.policyName === 'TEN_SECONDLY_ROLLING' ? 2_000 * (attempt + 1) : 1_000;
      limiters.general.holdUntil(Date.now() + pause);
      return pause;
    }
    return this.backoffMs * 2 ** attempt;
  }

  private clientFor(portalId: number, accessToken: string): Client {
    const limiters = this.limitersFor(portalId);
    const stats = this.statsFor(portalId);
    const budget: Middleware = {
      async pre(ctx) {
        const url = (ctx as { getUrl(): string }).getUrl();
        if (/\/search(\?|$)/.test(new URL(url).pathname + '?')) await limiters.search.take();
        await limiters.general.take();
        stats.requests += 1;
        return ctx;
      },
      post(ctx) {
        const headers = (ctx as { headers: Record<string, string> }).headers ?? {};
        const remaining = Number(headers['x-hubspot-ratelimit-remaining']);
        const intervalMs = Number(headers['x-hubspot-ratelimit-interval-milliseconds']) || 10_000;
        // Other processes spend the same budget: when HubSpot says it is gone, wait out the interval.
        if (headers['x-hubspot-ratelimit-remaining'] !== undefined && remaining <= 1) limiters.general.holdUntil(Date.now() + intervalMs / 2);
        return ctx;
      },
    };
    return new Client({ accessToken, basePath: this.app.apiBaseUrl, numberOfApiCallRetries: 0, middleware: [budget] });
  }
}
