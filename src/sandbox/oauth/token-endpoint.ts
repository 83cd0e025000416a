/**
 * `POST /oauth/v1/token` (and its date-versioned twin `/oauth/2026-03/token`): the
 * authorization_code grant (single-use codes, matching redirect URI) and the refresh_token grant
 * (HubSpot keeps the refresh token; after an uninstall it answers 400 invalid_grant /
 * BAD_REFRESH_TOKEN). Form-encoded, as HubSpot requires.
 */
import { randomUUID } from 'node:crypto';
import express, { Router, type Request, type Response } from 'express';
import type { AccessToken, SandboxApp, SandboxState } from '../sandbox-state.ts';

/** HubSpot's OAuth error body: its own `status` code next to the OAuth 2.0 `error`. */
function tokenError(res: Response, error: string, status: string, message: string): void {
  res.status(400).json({ status, message, correlationId: randomUUID(), error, error_description: message });
}

function tokenAnswer(state: SandboxState, access: AccessToken, refreshToken: string, dated: boolean): Record<string, unknown> {
  const answer: Record<string, unknown> = { token_type: 'bearer', refresh_token: refreshToken, access_token: access.token, expires_in: state.tokenExpiresIn };
  // The date-versioned API also says whose token it is.
  return dated ? { ...answer, hub_id: access.portalId, user_id: access.userId, scopes: access.scopes, token_use: 'access_token' } : answer;
}

function clientOf(state: SandboxState, res: Response, fields: Record<string, unknown>): SandboxApp | undefined {
  const app = typeof fields.client_id === 'string' ? state.apps.get(fields.client_id) : undefined;
  if (!app) {
    tokenError(res, 'invalid_client', 'BAD_CLIENT_ID', 'missing or unknown client id');
    return undefined;
  }
  state.count(`token:${app.appId}`);
  if (fields.client_secret !== app.clientSecret) {
    tokenError(res, 'invalid_client', 'BAD_CLIENT_SECRET', 'missing or invalid client secret');
    return undefined;
  }
  return app;
}

export function tokenRoutes(state: SandboxState): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '16kb' });

  const token = async (req: Request, res: Response) => {
    if (state.faults.tokenEndpointStallMs) await new Promise((resolve) => setTimeout(resolve, state.faults.tokenEndpointStallMs));
    if (state.faults.tokenEndpointStatus) {
      res.status(state.faults.tokenEndpointStatus).json({ status: 'error', message: 'internal error', correlationId: randomUUID(), category: 'INTERNAL_ERROR' });
      return;
    }
    // HubSpot's spec also takes client_secret and refresh_token in the query.
    const fields = { ...(req.query as Record<string, unknown>), ...((req.body ?? {}) as Record<string, unknown>) };
    const dated = req.path.startsWith('/oauth/2026-03');
    const app = clientOf(state, res, fields);
    if (!app) return;

    if (fields.grant_type === 'authorization_code') {
      const code = typeof fields.code === 'string' ? state.codes.get(fields.code) : undefined;
      if (!code || code.used || code.expiresAt < Date.now() || code.clientId !== app.clientId) {
        return tokenError(res, 'invalid_grant', 'BAD_AUTH_CODE', 'missing or unknown auth code');
      }
      if (code.redirectUri !== fields.redirect_uri) {
        return tokenError(res, 'invalid_grant', 'BAD_REDIRECT_URI', 'redirect_uri does not match the one of the authorization request');
      }
      code.used = true;
      const domain = state.portals.get(code.portalId)?.domain ?? 'sandbox.hubspot.example';
      const { access, refresh } = state.issueTokens(code.portalId, app, 101, `admin@${domain}`, code.scopes);
      return void res.json(tokenAnswer(state, access, refresh.token, dated));
    }

    if (fields.grant_type === 'refresh_token') {
      const refresh = typeof fields.refresh_token === 'string' ? state.refreshTokens.get(fields.refresh_token) : undefined;
      if (!refresh || refresh.appId !== app.appId || !state.isInstalled(refresh.portalId, app.appId)) {
        return tokenError(res, 'invalid_grant', 'BAD_REFRESH_TOKEN', 'missing or unknown refresh token');
      }
      return void res.json(tokenAnswer(state, state.refreshAccess(refresh), refresh.token, dated));
    }

    tokenError(res, 'unsupported_grant_type', 'BAD_GRANT_TYPE', 'grant_type must be authorization_code or refresh_token');
  };

  router.post(['/oauth/v1/token', '/oauth/2026-03/token'], form, token);
  return router;
}
