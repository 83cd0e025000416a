/**
 * Everything the sandbox knows beyond CRM data: registered apps, installs, authorization codes and
 * tokens, request counters, rate-limit and fault settings, and the portals. Several portals at once,
 * each with its own data, tokens and rate budget.
 */
import { randomBytes } from 'node:crypto';
import type { WebhooksDefinition } from '../install/app-definition.ts';
import { mulberry32 } from './random.ts';
import { SandboxPortal, type Change } from './sandbox-store.ts';

export interface SandboxApp {
  appId: number;
  clientId: string;
  clientSecret: string;
  redirectUrls: string[];
  /** Where webhooks go (the app's real URL for `settings.targetUrl`); unset: none are sent. */
  webhookTargetUrl?: string;
  /** Scopes the app is configured with; an authorize request may ask for these only. */
  scopes: string[];
  /** Its webhook subscriptions; default: the repository's webhooks/webhooks.json. */
  webhooks?: WebhooksDefinition;
}

export interface AccessToken {
  token: string;
  portalId: number;
  appId: number;
  userId: number;
  user: string;
  scopes: string[];
  expiresAt: number;
}

export interface RefreshToken {
  token: string;
  portalId: number;
  appId: number;
  clientId: string;
  userId: number;
  user: string;
  scopes: string[];
}

export interface AuthorizationCode {
  clientId: string;
  portalId: number;
  redirectUri: string;
  scopes: string[];
  expiresAt: number;
  used: boolean;
}

export interface RateLimitSettings {
  /** HubSpot: 110 per rolling 10 s per installed account for marketplace apps. */
  perTenSeconds: number;
  /** HubSpot: search has its own 5 per second per account. */
  searchPerSecond: number;
}

export interface FaultSettings {
  /** Share of API requests answered 429 or 502 (half each), drawn from the seeded generator. */
  errorRate: number;
  /** Share of API requests that stall for `stallMs` before they are served. */
  stallRate: number;
  stallMs: number;
  /** Answer every token request with this status (e.g. 503) instead of serving it. */
  tokenEndpointStatus?: number;
  /** Hold every token request this long before answering. */
  tokenEndpointStallMs?: number;
  /** Share of batch update inputs refused with a per-item error in a 207 answer (the rest are applied). */
  batchItemErrorRate?: number;
  /**
   * Share of batch update inputs silently left out: not applied, and named neither in `results` nor
   * in `errors` (an answer the app must not take as "written").
   */
  batchItemOmitRate?: number;
  /** Answer every API request 401 INVALID_AUTHENTICATION, fresh tokens too (refreshes still work). */
  refuseAccessTokens?: boolean;
}

export interface SandboxOptions {
  /** Access token lifetime in seconds (HubSpot today: 1800). */
  tokenExpiresIn?: number;
  rateLimit?: Partial<RateLimitSettings>;
  faults?: Partial<FaultSettings>;
  /** Skip the consent page: /oauth/authorize approves at once (for the first portal, or `portal_id`). */
  autoApprove?: boolean;
  /** Seeds the fault generator (and is the default seed of generated portals). */
  seed?: number;
  /**
   * Associations per record per page (v4 batch read results, inline `associations` of the v3
   * object endpoints). HubSpot pages inline associations at 100 (its 2020 announcement); the v4
   * batch read's page size is undocumented. Default 100; tests set it lower to reach the paging.
   */
  associationPageSize?: number;
}

/** What tests count: requests per portal and token requests per app. */
export interface RequestCounters {
  portals: Record<string, { requests: number; searches: number; rateLimited: number; faults: number; stalls: number; batchUpdates: number; batchUpdateInputs: number }>;
  apps: Record<string, { tokenRequests: number }>;
}

export class SandboxState {
  readonly portals = new Map<number, SandboxPortal>();
  /** By client id. */
  readonly apps = new Map<string, SandboxApp>();
  readonly codes = new Map<string, AuthorizationCode>();
  readonly accessTokens = new Map<string, AccessToken>();
  readonly refreshTokens = new Map<string, RefreshToken>();
  /** `${portalId}:${appId}` of current installs. */
  readonly installs = new Set<string>();
  /** `requests:{portalId}`, `search:{portalId}`, `429:{portalId}`, `fault:{portalId}`, `stall:{portalId}`, `token:{appId}`. */
  readonly requestCounts = new Map<string, number>();
  /** Rate limits set for one portal, over `rateLimit`. */
  readonly portalRateLimits = new Map<number, Partial<RateLimitSettings>>();
  tokenExpiresIn: number;
  rateLimit: RateLimitSettings;
  faults: FaultSettings;
  autoApprove: boolean;
  associationPageSize: number;
  random: () => number;
  /** What `portals()` of the admin API lists: each portal's summary as it was created. */
  readonly portalSummaries = new Map<number, { portalId: number; domain: string }>();
  /** Counts every change worth keeping (records, tokens, installs, apps): what the snapshot writer watches (src/sandbox/persist-sandbox.ts). */
  revision = 0;
  private readonly listeners: ((change: Change) => void)[] = [];

  constructor(options: SandboxOptions = {}) {
    this.tokenExpiresIn = options.tokenExpiresIn ?? 1800;
    this.rateLimit = { perTenSeconds: 110, searchPerSecond: 5, ...options.rateLimit };
    this.faults = { errorRate: 0, stallRate: 0, stallMs: 10_000, ...options.faults };
    this.autoApprove = options.autoApprove ?? false;
    this.associationPageSize = options.associationPageSize ?? 100;
    this.random = mulberry32((options.seed ?? 1) ^ 0x5eed);
  }

  /** Something a snapshot should hold changed. */
  touch(): void {
    this.revision += 1;
  }

  onChange(listener: (change: Change) => void): void {
    this.listeners.push(listener);
  }

  addPortal(portalId: number, domain: string): SandboxPortal {
    if (this.portals.has(portalId)) throw new Error(`portal ${portalId} exists`);
    const portal = new SandboxPortal(portalId, domain, (change) => {
      this.touch();
      this.listeners.forEach((listener) => listener(change));
    });
    this.portals.set(portalId, portal);
    this.touch();
    return portal;
  }

  appById(appId: number): SandboxApp | undefined {
    for (const app of this.apps.values()) if (app.appId === appId) return app;
    return undefined;
  }

  rateLimitFor(portalId: number): RateLimitSettings {
    return { ...this.rateLimit, ...this.portalRateLimits.get(portalId) };
  }

  isInstalled(portalId: number, appId: number): boolean {
    return this.installs.has(`${portalId}:${appId}`);
  }

  issueTokens(portalId: number, app: SandboxApp, userId: number, user: string, scopes: string[]): { access: AccessToken; refresh: RefreshToken } {
    const access: AccessToken = { token: `sbx-at-${randomBytes(24).toString('hex')}`, portalId, appId: app.appId, userId, user, scopes, expiresAt: Date.now() + this.tokenExpiresIn * 1000 };
    const refresh: RefreshToken = { token: `sbx-rt-${randomBytes(24).toString('hex')}`, portalId, appId: app.appId, clientId: app.clientId, userId, user, scopes };
    this.accessTokens.set(access.token, access);
    this.refreshTokens.set(refresh.token, refresh);
    this.installs.add(`${portalId}:${app.appId}`);
    this.touch();
    return { access, refresh };
  }

  /** A new access token for a refresh token (which HubSpot keeps valid). */
  refreshAccess(refresh: RefreshToken): AccessToken {
    const access: AccessToken = { token: `sbx-at-${randomBytes(24).toString('hex')}`, portalId: refresh.portalId, appId: refresh.appId, userId: refresh.userId, user: refresh.user, scopes: refresh.scopes, expiresAt: Date.now() + this.tokenExpiresIn * 1000 };
    this.accessTokens.set(access.token, access);
    this.touch();
    return access;
  }

  /** The app is uninstalled from the portal: its tokens stop working, refreshes answer BAD_REFRESH_TOKEN. */
  uninstall(portalId: number, appId: number): boolean {
    const had = this.installs.delete(`${portalId}:${appId}`);
    this.revokeTokens(portalId, appId);
    this.touch();
    return had;
  }

  /** Deletes the app's tokens for the portal; returns how many there were. */
  revokeTokens(portalId: number, appId: number): number {
    let revoked = 0;
    for (const tokens of [this.accessTokens, this.refreshTokens]) {
      for (const [token, t] of tokens) {
        if (t.portalId === portalId && t.appId === appId) {
          tokens.delete(token);
          revoked += 1;
        }
      }
    }
    this.touch();
    return revoked;
  }

  count(key: string, by = 1): void {
    this.requestCounts.set(key, (this.requestCounts.get(key) ?? 0) + by);
  }

  counters(): RequestCounters {
    const result: RequestCounters = { portals: {}, apps: {} };
    const portal = (id: string) => (result.portals[id] ??= { requests: 0, searches: 0, rateLimited: 0, faults: 0, stalls: 0, batchUpdates: 0, batchUpdateInputs: 0 });
    const field = { requests: 'requests', search: 'searches', 429: 'rateLimited', fault: 'faults', stall: 'stalls', 'batch-update': 'batchUpdates', 'batch-update-inputs': 'batchUpdateInputs' } as const;
    for (const id of this.portals.keys()) portal(String(id));
    for (const app of this.apps.values()) result.apps[app.appId] = { tokenRequests: 0 };
    for (const [key, value] of this.requestCounts) {
      const [kind, id] = key.split(':');
      if (kind === 'token') result.apps[id] = { tokenRequests: value };
      else if (kind in field) portal(id)[field[kind as keyof typeof field]] = value;
    }
    return result;
  }
}
