/**
 * The sandbox's express app: HubSpot's OAuth pages and endpoints, the CRM, properties and
 * associations APIs behind authentication → rate limits → injected faults, the `/_sandbox` admin
 * API, and HubSpot's error bodies for everything that goes wrong (never an HTML 500).
 */
import express, { type ErrorRequestHandler, type Express, type NextFunction, type Request, type Response } from 'express';
import { adminRoutes } from './admin/admin-routes.ts';
import type { SandboxAdmin } from './admin/sandbox-admin.ts';
import { associationReadRoutes } from './associations/batch-read.ts';
import { associationWriteRoutes } from './associations/create-associations.ts';
import { authenticate } from './authenticate.ts';
import { basicObjectRoutes } from './crm/basic-objects.ts';
import { batchRoutes } from './crm/batch.ts';
import { listRoutes } from './crm/list-objects.ts';
import { mergeAndGdprRoutes } from './crm/merge-and-gdpr.ts';
import { searchRoutes } from './crm/search.ts';
import { invalidJson, SandboxError, sendError } from './errors.ts';
import { injectFaults } from './faults.ts';
import { consentRoutes } from './oauth/consent-page.ts';
import { tokenMetadataRoutes } from './oauth/token-metadata.ts';
import { tokenRoutes } from './oauth/token-endpoint.ts';
import { uninstallRoutes } from './oauth/uninstall-route.ts';
import { propertyDefinitionRoutes } from './properties/property-definitions.ts';
import { propertyGroupRoutes } from './properties/property-groups.ts';
import { rateLimit } from './rate-limit.ts';
import type { SandboxState } from './sandbox-state.ts';

/** Longer request URLs get 414, as HubSpot answers very long `properties` lists. */
export const MAX_URL_LENGTH = 8_192;

function uriTooLong(req: Request, res: Response, next: NextFunction): void {
  if (req.originalUrl.length <= MAX_URL_LENGTH) return next();
  sendError(res, new SandboxError(414, 'VALIDATION_ERROR', `URI Too Long: the request URL is ${req.originalUrl.length} characters, more than ${MAX_URL_LENGTH}. Ask for fewer properties per request.`));
}

function jsonOnly(req: Request, _res: Response, next: NextFunction): void {
  const hasBody = Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined;
  if (hasBody && !req.is('application/json')) throw new SandboxError(415, 'VALIDATION_ERROR', `Content type '${req.get('content-type') ?? '(none)'}' is not supported: send application/json`);
  next();
}

const onError: ErrorRequestHandler = (error, _req, res, _next) => {
  if (res.headersSent) return;
  if (error instanceof SandboxError) return sendError(res, error);
  const status = (error as { status?: unknown })?.status;
  const type = (error as { type?: unknown })?.type;
  if (type === 'entity.parse.failed') return sendError(res, invalidJson((error as Error).message));
  if (type === 'entity.too.large') return sendError(res, new SandboxError(413, 'VALIDATION_ERROR', 'The request body is too large'));
  if (typeof status === 'number' && status >= 400 && status < 500) return sendError(res, new SandboxError(status, 'VALIDATION_ERROR', (error as Error).message || 'Bad request'));
  console.error('sandbox: internal error', error);
  sendError(res, new SandboxError(500, 'INTERNAL_ERROR', 'internal error'));
};

export function createSandboxApp(state: SandboxState, admin: SandboxAdmin): Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.use(uriTooLong);
  // Any request that may change something (a record, a property definition, a token) marks the state for the next snapshot.
  app.use((req, _res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') state.touch();
    next();
  });
  app.use(consentRoutes(state), tokenRoutes(state), tokenMetadataRoutes(state));
  app.use(adminRoutes(admin));
  app.use(['/crm', '/appinstalls'], authenticate(state), rateLimit(state), injectFaults(state), jsonOnly, express.json({ limit: '10mb' }));
  app.use(
    uninstallRoutes(state),
    listRoutes(state), searchRoutes(), batchRoutes(state), mergeAndGdprRoutes(), basicObjectRoutes(state),
    propertyGroupRoutes(), propertyDefinitionRoutes(),
    associationReadRoutes(state), associationWriteRoutes(),
  );
  app.use((req) => {
    throw new SandboxError(404, 'OBJECT_NOT_FOUND', `No such endpoint: ${req.method} ${req.path}`);
  });
  app.use(onError);
  return app;
}
