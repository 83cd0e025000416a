/**
 * The sandbox's own controls over HTTP, under `/_sandbox` (real HubSpot has nothing there): the same
 * admin API `startSandbox` returns in process. Register apps, create generated portals, uninstall,
 * simulate users, set rate limits and faults, read counters, and read a portal's objects directly
 * (no token, no rate limit).
 */
import express, { Router, type Response } from 'express';
import { z } from 'zod';
import { SandboxError } from '../errors.ts';
import { objectTypeParam } from '../crm/object-types.ts';
import { listParam } from '../crm/object-json.ts';
import { lifecycleStages } from '../standard-properties.ts';
import type { SandboxAdmin } from './sandbox-admin.ts';

const objectType = z.enum(['contacts', 'companies', 'deals']);
const id = z.number().int().positive();

export const appSchema = z.object({
  appId: id,
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  redirectUrls: z.array(z.url()).min(1),
  webhookTargetUrl: z.url().optional(),
  scopes: z.array(z.string().min(1)).optional(),
});

export const portalSchema = z.object({
  portalId: id.optional(),
  domain: z.string().min(1).max(253).optional(),
  contacts: z.number().int().min(0).max(200_000).default(1000),
  seed: z.number().int().optional(),
  months: z.number().int().min(1).max(60).optional(),
  anchor: z.iso.datetime().optional(),
});

const rateLimitSchema = z.object({ perTenSeconds: z.number().int().min(1), searchPerSecond: z.number().int().min(1) }).partial();
const faultsSchema = z.object({
  errorRate: z.number().min(0).max(1), stallRate: z.number().min(0).max(1), stallMs: z.number().int().min(0).max(600_000), seed: z.number().int(),
  tokenEndpointStatus: z.number().int().min(400).max(599).nullable(), tokenEndpointStallMs: z.number().int().min(0).max(600_000).nullable(),
  batchItemErrorRate: z.number().min(0).max(1), batchItemOmitRate: z.number().min(0).max(1), refuseAccessTokens: z.boolean(),
}).partial();

export const settingsSchema = z.object({
  rateLimit: rateLimitSchema.optional(),
  faults: faultsSchema.optional(),
  tokenExpiresIn: z.number().int().min(1).optional(),
  autoApprove: z.boolean().optional(),
  associationPageSize: z.number().int().min(1).max(1000).optional(),
});

const contactAction = <T extends string>(type: T) => z.object({ type: z.literal(type), contactId: id, count: z.number().int().min(1).max(1000).optional() });
export const actionSchema = z.discriminatedUnion('type', [
  contactAction('pageView'), contactAction('emailOpen'), contactAction('emailClick'),
  z.object({ type: z.literal('formSubmission'), contactId: id, formName: z.string().min(1).max(200).optional() }),
  z.object({ type: z.literal('lifecycleChange'), contactId: id, stage: z.enum(lifecycleStages) }),
  z.object({ type: z.literal('propertyEdit'), objectType, objectId: id, properties: z.record(z.string(), z.string()) }),
  z.object({ type: z.literal('archive'), objectType, objectId: id }),
  z.object({ type: z.literal('restore'), objectType, objectId: id }),
  z.object({ type: z.literal('merge'), objectType, primaryId: id, mergedId: id }),
  z.object({ type: z.literal('privacyDeletion'), contactId: id }),
]);

const activitySchema = z.object({ contacts: z.number().int().min(1).max(10_000).optional(), contactIds: z.array(id).max(10_000).optional(), seed: z.number().int().optional() });

function parsed<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body ?? {});
  if (!result.success) {
    throw new SandboxError(400, 'VALIDATION_ERROR', result.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '), {
      errors: result.error.issues.map((i) => ({ message: i.message, in: i.path.join('.') })),
    });
  }
  return result.data;
}

function portalIdParam(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new SandboxError(400, 'VALIDATION_ERROR', `Not a portal id: ${value}`);
  return n;
}

export function adminRoutes(admin: SandboxAdmin): Router {
  const router = Router();
  router.use('/_sandbox', express.json({ limit: '1mb' }));
  const created = (res: Response, body: unknown) => res.status(201).json(body);

  router.get('/_sandbox', (_req, res) => {
    res.json({
      about: 'Local HubSpot sandbox controls (not part of HubSpot).',
      endpoints: [
        'POST /_sandbox/apps', 'GET /_sandbox/apps', 'POST /_sandbox/portals', 'GET /_sandbox/portals',
        'DELETE /_sandbox/portals/{portalId}/apps/{appId}', 'DELETE /_sandbox/portals/{portalId}/apps/{appId}/tokens', 'POST /_sandbox/portals/{portalId}/actions', 'POST /_sandbox/portals/{portalId}/activity',
        'PUT /_sandbox/settings', 'PUT /_sandbox/portals/{portalId}/rate-limit', 'GET /_sandbox/counters', 'GET /_sandbox/portals/{portalId}/objects/{objectType}',
      ],
    });
  });

  router.post('/_sandbox/apps', (req, res) => {
    const app = admin.registerApp(parsed(appSchema, req.body));
    created(res, { appId: app.appId, clientId: app.clientId, redirectUrls: app.redirectUrls, webhookTargetUrl: app.webhookTargetUrl ?? null, scopes: app.scopes });
  });

  router.get('/_sandbox/apps', (_req, res) => {
    res.json({ results: admin.apps().map((a) => ({ appId: a.appId, clientId: a.clientId, redirectUrls: a.redirectUrls, webhookTargetUrl: a.webhookTargetUrl ?? null, scopes: a.scopes })) });
  });

  router.post('/_sandbox/portals', (req, res) => {
    const options = parsed(portalSchema, req.body);
    created(res, admin.createPortal({ ...options, anchor: options.anchor ? new Date(options.anchor) : undefined }));
  });

  router.get('/_sandbox/portals', (_req, res) => {
    res.json({ results: admin.portals() });
  });

  router.delete('/_sandbox/portals/:portalId/apps/:appId', (req, res) => {
    res.json({ uninstalled: admin.uninstall(portalIdParam(req.params.portalId), portalIdParam(req.params.appId)) });
  });

  router.delete('/_sandbox/portals/:portalId/apps/:appId/tokens', (req, res) => {
    res.json({ revoked: admin.revokeTokens(portalIdParam(req.params.portalId), portalIdParam(req.params.appId)) });
  });

  router.post('/_sandbox/portals/:portalId/actions', (req, res) => {
    const changed = admin.simulate(portalIdParam(req.params.portalId), parsed(actionSchema, req.body));
    res.json({ changedProperties: changed });
  });

  router.post('/_sandbox/portals/:portalId/activity', (req, res) => {
    res.json({ contactIds: admin.simulateActivity(portalIdParam(req.params.portalId), parsed(activitySchema, req.body)) });
  });

  router.put('/_sandbox/settings', (req, res) => {
    const settings = parsed(settingsSchema, req.body);
    const faults = settings.faults
      ? Object.fromEntries(Object.entries(settings.faults).map(([k, v]) => [k, v === null ? undefined : v]))
      : undefined;
    admin.configure({ ...settings, faults });
    res.json({ status: 'ok' });
  });

  router.put('/_sandbox/portals/:portalId/rate-limit', (req, res) => {
    admin.setRateLimit(parsed(rateLimitSchema, req.body), portalIdParam(req.params.portalId));
    res.json({ status: 'ok' });
  });

  router.get('/_sandbox/counters', (_req, res) => {
    res.json(admin.counters());
  });

  router.get('/_sandbox/portals/:portalId/objects/:objectType', (req, res) => {
    const limit = req.query.limit === undefined ? 100 : Number(req.query.limit);
    const after = req.query.after === undefined ? 0 : Number(req.query.after);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000 || !Number.isInteger(after) || after < 0) {
      throw new SandboxError(400, 'VALIDATION_ERROR', 'limit must be 1–1000 and after a whole number');
    }
    res.json(admin.readObjects(portalIdParam(req.params.portalId), objectTypeParam(req.params.objectType), {
      properties: listParam(req.query.properties), propertiesWithHistory: listParam(req.query.propertiesWithHistory), limit, after, archived: req.query.archived === 'true',
    }));
  });

  return router;
}
