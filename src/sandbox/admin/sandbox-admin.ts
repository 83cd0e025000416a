/**
 * The sandbox's admin API, in process (tests, `npm start`) and behind `/_sandbox` over HTTP:
 * register apps, create portals filled by the history generator, uninstall, simulate users, set
 * rate limits and faults, count requests, and read a portal's objects directly.
 */
import { objectJson } from '../crm/object-json.ts';
import { conflict, objectNotFound } from '../errors.ts';
import { generatePortal, type GeneratedPortal } from '../history/generate-portal.ts';
import { simulateActivity, simulateUserAction, type UserAction } from '../history/simulate-activity.ts';
import { mulberry32 } from '../random.ts';
import type { FaultSettings, RateLimitSettings, RequestCounters, SandboxApp, SandboxState } from '../sandbox-state.ts';
import type { SandboxObjectType, SandboxPortal } from '../sandbox-store.ts';
import type { WebhookSender, WebhookStats } from '../webhooks/deliver.ts';

/** What Propensity's app.json asks for: the default scopes of a registered app. */
export const DEFAULT_APP_SCOPES = [
  'oauth', 'crm.objects.contacts.read', 'crm.objects.contacts.write', 'crm.objects.companies.read', 'crm.objects.companies.write',
  'crm.objects.deals.read', 'crm.objects.deals.write', 'crm.schemas.contacts.write', 'crm.schemas.companies.write',
];

export type AppRegistration = Omit<SandboxApp, 'scopes'> & { scopes?: string[] };

export interface PortalOptions {
  portalId?: number;
  domain?: string;
  /** Contacts to generate (default 1,000; 0 for an empty portal). */
  contacts?: number;
  /** Generator seed (default: the sandbox's seed). */
  seed?: number;
  /** The portal's "today" (default a fixed date, so output never depends on the clock). */
  anchor?: Date;
  months?: number;
}

export interface PortalSummary extends GeneratedPortal {
  portalId: number;
  domain: string;
}

export interface SandboxSettings {
  rateLimit?: Partial<RateLimitSettings>;
  /** `seed` restarts the fault generator, so a run of faults can be repeated exactly. */
  faults?: Partial<FaultSettings> & { seed?: number };
  tokenExpiresIn?: number;
  autoApprove?: boolean;
  /** Associations per record per page (see `SandboxOptions.associationPageSize`). */
  associationPageSize?: number;
}

export interface ReadObjectsOptions {
  properties?: string[];
  propertiesWithHistory?: string[];
  limit?: number;
  /** Objects with an id above this one. */
  after?: number;
  archived?: boolean;
}

export interface SandboxAdmin {
  registerApp(app: AppRegistration): SandboxApp;
  apps(): SandboxApp[];
  createPortal(options?: PortalOptions): PortalSummary;
  /** The same as createPortal (older name). */
  addPortal(options?: PortalOptions): PortalSummary;
  portals(): PortalSummary[];
  /** The portal's store, for direct reads and writes in tests. */
  portal(portalId: number): SandboxPortal;
  uninstall(portalId: number, appId: number): boolean;
  /** Revokes the app's access and refresh tokens for the portal (the install stays): its next call gets 401, its next refresh BAD_REFRESH_TOKEN. */
  revokeTokens(portalId: number, appId: number): number;
  simulate(portalId: number, action: UserAction): string[];
  simulateActivity(portalId: number, options?: { contacts?: number; contactIds?: number[]; seed?: number }): number[];
  setRateLimit(limits: Partial<RateLimitSettings>, portalId?: number): void;
  setFaults(faults: SandboxSettings['faults']): void;
  configure(settings: SandboxSettings): void;
  counters(): RequestCounters & { webhooks: WebhookStats & { backlog: number } };
  readObjects(portalId: number, type: SandboxObjectType, options?: ReadObjectsOptions): { total: number; results: Record<string, unknown>[]; next?: number };
}

export function createSandboxAdmin(state: SandboxState, webhooks: WebhookSender, defaults: { seed?: number } = {}): SandboxAdmin {
  const summaries = state.portalSummaries as Map<number, PortalSummary>;
  let nextPortalId = 20_000_000 + ((defaults.seed ?? 1) % 1000) * 1000;

  const portal = (portalId: number) => {
    const found = state.portals.get(portalId);
    if (!found) throw objectNotFound(`No portal ${portalId} in this sandbox`);
    return found;
  };

  const admin: SandboxAdmin = {
    registerApp(registration) {
      const existing = state.apps.get(registration.clientId);
      if (existing && existing.appId !== registration.appId) throw conflict(`Client id ${registration.clientId} belongs to app ${existing.appId}`);
      const app: SandboxApp = { ...registration, scopes: registration.scopes ?? DEFAULT_APP_SCOPES };
      state.apps.set(app.clientId, app);
      state.touch();
      return app;
    },
    apps: () => [...state.apps.values()],
    createPortal({ portalId, domain, contacts = 1000, seed = defaults.seed ?? 1, anchor, months } = {}) {
      if (portalId !== undefined && state.portals.has(portalId)) throw conflict(`Portal ${portalId} exists in this sandbox`);
      let id = portalId ?? nextPortalId++;
      while (state.portals.has(id)) id = nextPortalId++;
      const name = domain ?? `sandbox-${id}.hubspot.example`;
      const generated = generatePortal(state.addPortal(id, name), { contacts, seed, anchor, months });
      const summary = { portalId: id, domain: name, ...generated };
      summaries.set(id, summary);
      return summary;
    },
    addPortal: (options) => admin.createPortal(options),
    portals: () => [...summaries.values()],
    portal,
    uninstall: (portalId, appId) => state.uninstall(portalId, appId),
    revokeTokens: (portalId, appId) => state.revokeTokens(portalId, appId),
    simulate: (portalId, action) => simulateUserAction(portal(portalId), action),
    simulateActivity: (portalId, options) => simulateActivity(portal(portalId), options),
    setRateLimit(limits, portalId) {
      if (portalId === undefined) state.rateLimit = { ...state.rateLimit, ...limits };
      else state.portalRateLimits.set(portalId, { ...state.portalRateLimits.get(portalId), ...limits });
    },
    setFaults(faults = {}) {
      const { seed, ...settings } = faults;
      state.faults = { ...state.faults, ...settings };
      if (seed !== undefined) state.random = mulberry32(seed ^ 0x5eed);
    },
    configure(settings) {
      if (settings.rateLimit) admin.setRateLimit(settings.rateLimit);
      if (settings.faults) admin.setFaults(settings.faults);
      if (settings.tokenExpiresIn !== undefined) state.tokenExpiresIn = settings.tokenExpiresIn;
      if (settings.autoApprove !== undefined) state.autoApprove = settings.autoApprove;
      if (settings.associationPageSize !== undefined) state.associationPageSize = settings.associationPageSize;
    },
    counters: () => ({ ...state.counters(), webhooks: { ...webhooks.stats, backlog: webhooks.backlog } }),
    readObjects(portalId, type, { properties, propertiesWithHistory, limit = 100, after = 0, archived = false } = {}) {
      const store = portal(portalId);
      const results: Record<string, unknown>[] = [];
      let total = 0;
      let next: number | undefined;
      for (const objectId of store.ids(type)) {
        const object = store.objects[type].get(objectId);
        if (!object || object.archived !== archived || object.mergedInto !== undefined) continue;
        total += 1;
        if (objectId <= after) continue;
        if (results.length < limit) results.push(objectJson(store, type, object, { properties, propertiesWithHistory }));
        else next ??= results.length > 0 ? Number((results[results.length - 1] as { id: string }).id) : undefined;
      }
      return next === undefined ? { total, results } : { total, results, next };
    },
  };
  return admin;
}
