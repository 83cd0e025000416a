/**
 * A portal's access token, refreshed shortly before `expires_in` runs out. Only one refresh happens
 * at a time for a portal: single-flight within this process, and a lease in MongoDB across processes,
 * so two processes never both spend the refresh token. A refresh HubSpot rejects as revoked is
 * reported (`PortalAccessLostError`); what follows is decided in `src/install/portal-access.ts`.
 */
import { randomUUID } from 'node:crypto';
import { Client } from '@hubspot/api-client';
import type { Connection } from 'mongoose';
import { portalModel } from '../db/models/portal.ts';
import { open, seal, type TokenKeyring } from '../install/token-cipher.ts';
import type { Logger } from '../log.ts';
import { isRevokedRefreshToken, PortalAccessLostError, PortalNotInstalledError } from './errors.ts';
import type { HubSpotApp } from './hubspot-app.ts';

export interface PortalTokensOptions {
  /** Refresh when less than this is left (and at the latest at 80 % of the lifetime). Default 5 min. */
  refreshMarginMs?: number;
  /** How long a refresh may hold the lease. Default 30 s. */
  leaseMs?: number;
  now?: () => number;
}

interface CachedToken {
  token: string;
  issuedAt: number;
  expiresAt: number;
  version: number;
}

export class PortalTokens {
  private readonly holder = `${process.pid}-${randomUUID()}`;
  private readonly cache = new Map<number, CachedToken>();
  private readonly inflight = new Map<number, Promise<CachedToken>>();
  private readonly refreshMarginMs: number;
  private readonly leaseMs: number;
  private readonly now: () => number;
  /** Refreshes this process made (so a caller can tell whether its replacement token is a fresh one). */
  private refreshes = 0;

  constructor(
    private readonly connection: Connection,
    private readonly keyring: TokenKeyring,
    private readonly app: HubSpotApp,
    private readonly logger: Logger,
    options: PortalTokensOptions = {},
  ) {
    this.refreshMarginMs = options.refreshMarginMs ?? 5 * 60_000;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  /** A valid access token for the portal. */
  async accessToken(portalId: number): Promise<{ token: string; version: number }> {
    const cached = this.cache.get(portalId);
    if (cached && !this.isDue(cached)) return cached;
    return this.singleFlight(portalId, () => this.obtain(portalId, undefined));
  }

  /**
   * After HubSpot rejected `version`'s token (401): get a newer one, refreshing if nobody has.
   * `refreshed`: the token came from a refresh (not from a newer one another process stored).
   */
  async replaceRejected(portalId: number, version: number): Promise<{ token: string; version: number; refreshed: boolean }> {
    const before = this.refreshes;
    const replaced = await this.singleFlight(portalId, () => this.obtain(portalId, version));
    return { ...replaced, refreshed: this.refreshes > before };
  }

  forget(portalId: number): void {
    this.cache.delete(portalId);
  }

  private singleFlight(portalId: number, work: () => Promise<CachedToken>): Promise<CachedToken> {
    let pending = this.inflight.get(portalId);
    if (!pending) {
      pending = work().finally(() => this.inflight.delete(portalId));
      this.inflight.set(portalId, pending);
    }
    return pending;
  }

  private isDue({ issuedAt, expiresAt }: CachedToken): boolean {
    const margin = Math.min(this.refreshMarginMs, (expiresAt - issuedAt) * 0.2);
    return this.now() >= expiresAt - margin;
  }

  private async obtain(portalId: number, rejectedVersion: number | undefined): Promise<CachedToken> {
    const portals = portalModel(this.connection);
    for (;;) {
      const portal = await portals.findOne({ portalId, status: 'installed' }).lean();
      if (!portal?.tokens) {
        this.cache.delete(portalId);
        throw new PortalNotInstalledError(portalId);
      }
      const { tokens } = portal;
      const stored: CachedToken = {
        token: open(this.keyring, tokens.access),
        issuedAt: tokens.issuedAt.getTime(),
        expiresAt: tokens.expiresAt.getTime(),
        version: tokens.version,
      };
      const mustRefresh = rejectedVersion === undefined ? this.isDue(stored) : stored.version === rejectedVersion;
      if (!mustRefresh) {
        this.cache.set(portalId, stored);
        return stored;
      }
      const now = new Date(this.now());
      const leased = await portals.findOneAndUpdate(
        {
          portalId,
          status: 'installed',
          'tokens.version': tokens.version,
          // No lease, or an expired one (written without $or, which the embedded engine plans poorly).
          'tokenRefreshLease.until': { $not: { $gt: now } },
        },
        { $set: { tokenRefreshLease: { holder: this.holder, until: new Date(now.getTime() + this.leaseMs) } } },
      );
      if (leased) return this.refresh(portalId, open(this.keyring, tokens.refresh), tokens.version);
      // Another process holds the lease and is refreshing: read its result shortly.
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  private async refresh(portalId: number, refreshToken: string, version: number): Promise<CachedToken> {
    const portals = portalModel(this.connection);
    const client = new Client({ basePath: this.app.apiBaseUrl, numberOfApiCallRetries: 0 });
    let answer;
    try {
      answer = await client.oauth.tokensApi.create('refresh_token', undefined, undefined, this.app.clientId, this.app.clientSecret, refreshToken);
    } catch (error) {
      await portals.updateOne({ portalId, 'tokenRefreshLease.holder': this.holder }, { $unset: { tokenRefreshLease: 1 } });
      if (isRevokedRefreshToken(error)) {
        this.cache.delete(portalId);
        this.logger.warn({ portalId }, 'HubSpot rejected the refresh token (invalid_grant)');
        throw new PortalAccessLostError(portalId, 'refresh-token-rejected');
      }
      await portals.updateOne({ portalId, 'tokenRefreshLease.holder': this.holder }, { $unset: { tokenRefreshLease: 1 } });
      throw new Error(`token refresh for portal ${portalId} failed: ${(error as Error).message}`, { cause: error });
    }
    const issuedAt = this.now();
    const refreshed: CachedToken = { token: answer.accessToken, issuedAt, expiresAt: issuedAt + answer.expiresIn * 1000, version: version + 1 };
    const stored = await portals.updateOne(
      { portalId, status: 'installed', 'tokenRefreshLease.holder': this.holder },
      {
        $set: {
          'tokens.access': seal(this.keyring, answer.accessToken),
          'tokens.refresh': seal(this.keyring, answer.refreshToken || refreshToken),
          'tokens.issuedAt': new Date(issuedAt),
          'tokens.expiresAt': new Date(refreshed.expiresAt),
          'tokens.version': refreshed.version,
        },
        $unset: { tokenRefreshLease: 1 },
      },
    );
    if (stored.matchedCount === 0) throw new PortalNotInstalledError(portalId);
    this.cache.set(portalId, refreshed);
    this.refreshes += 1;
    this.logger.debug({ portalId, expiresIn: answer.expiresIn }, 'access token refreshed');
    return refreshed;
  }
}
