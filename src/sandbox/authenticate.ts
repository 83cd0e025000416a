/**
 * The first check of every HubSpot API request: an OAuth bearer token that exists, has not expired,
 * and belongs to an install that still exists. Otherwise 401, with HubSpot's categories
 * (INVALID_AUTHENTICATION, EXPIRED_AUTHENTICATION).
 */
import type { NextFunction, Request, Response } from 'express';
import type { ApiContext } from './api-context.ts';
import { expiredToken, invalidToken, missingToken } from './errors.ts';
import type { SandboxState } from './sandbox-state.ts';

export function authenticate(state: SandboxState) {
  return (req: Request, res: Response, next: NextFunction) => {
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '')?.[1];
    if (!bearer) throw missingToken();
    const token = state.accessTokens.get(bearer);
    if (token && state.faults.refuseAccessTokens) {
      state.count(`refused-token:${token.portalId}`);
      throw invalidToken();
    }
    if (!token || !state.isInstalled(token.portalId, token.appId)) throw invalidToken();
    if (token.expiresAt <= Date.now()) throw expiredToken(Date.now() - token.expiresAt);
    const portal = state.portals.get(token.portalId);
    if (!portal) throw invalidToken();
    res.locals.api = { token, portal } satisfies ApiContext;
    next();
  };
}
