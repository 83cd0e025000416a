/**
 * What a HubSpot API request carries once it passed authentication: the access token (app, portal,
 * scopes) and the portal it reads and writes. Route handlers read it with `apiContext(res)`.
 */
import type { Response } from 'express';
import { missingScopes } from './errors.ts';
import type { AccessToken } from './sandbox-state.ts';
import type { ChangeSource, SandboxPortal } from './sandbox-store.ts';

export interface ApiContext {
  token: AccessToken;
  portal: SandboxPortal;
}

export function apiContext(res: Response): ApiContext {
  return res.locals.api as ApiContext;
}

/** Refuses the request (403 MISSING_SCOPES) unless the token holds one of `anyOf`. */
export function requireScope(res: Response, anyOf: string[]): ApiContext {
  const context = apiContext(res);
  if (!anyOf.some((scope) => context.token.scopes.includes(scope))) throw missingScopes(anyOf);
  return context;
}

/** Writes made with an app's OAuth token: history `sourceType INTEGRATION`, webhooks `changeSource INTEGRATION`, both with the app id. */
export function integrationSource(res: Response): ChangeSource {
  const appId = String(apiContext(res).token.appId);
  return { sourceType: 'INTEGRATION', sourceId: appId, changeSource: 'INTEGRATION' };
}
