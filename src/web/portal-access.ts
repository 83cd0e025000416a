/**
 * Who may see a portal's page and its API: a person signed in through HubSpot's OAuth to that
 * portal (the install signs the installer in; `/oauth/signin` signs in anyone else of the portal).
 * The portals live in the MongoDB-backed session (src/web/session.ts); anyone else gets 403.
 */
import type { NextFunction, Request, Response } from 'express';
import type { TokenInfo } from '../hubspot/token-info.ts';
import { escapeHtml } from './problem-page.ts';

const MAX_PORTALS_PER_SESSION = 20;

export function signedInPortals(req: Request): number[] {
  return req.session?.portals ?? [];
}

/**
 * Signs the browser in to a portal: a new session id (so an id planted before the sign-in is
 * worthless), keeping the portals it was already signed in to.
 */
export async function signInToPortal(req: Request, tokenInfo: Pick<TokenInfo, 'portalId' | 'userId' | 'userEmail'>): Promise<void> {
  const portals = [...new Set([...signedInPortals(req).filter((p) => p !== tokenInfo.portalId), tokenInfo.portalId])].slice(-MAX_PORTALS_PER_SESSION);
  await new Promise<void>((resolve, reject) => req.session.regenerate((error) => (error ? reject(error) : resolve())));
  req.session.portals = portals;
  req.session.user = { id: tokenInfo.userId, email: tokenInfo.userEmail };
  await new Promise<void>((resolve, reject) => req.session.save((error) => (error ? reject(error) : resolve())));
}

export async function signOut(req: Request): Promise<void> {
  await new Promise<void>((resolve, reject) => req.session.destroy((error) => (error ? reject(error) : resolve())));
}

/**
 * `:portalId` (or the portal `fixedPortal` names, e.g. the demo's) must be a portal the session
 * signed in to: 403 (with a sign-in link for a browser) otherwise.
 */
export function requirePortalAccess(fixedPortal?: () => number) {
  return (req: Request, res: Response, next: NextFunction) => {
    const given = fixedPortal ? String(fixedPortal()) : String(req.params.portalId);
    const portalId = Number(given);
    if (!/^\d{1,15}$/.test(given) || !Number.isSafeInteger(portalId) || portalId <= 0) {
      res.status(404).json({ status: 'error', message: 'No such portal' });
      return;
    }
    if (!signedInPortals(req).includes(portalId)) {
      const message = 'Sign in with HubSpot as a user of this portal to see it';
      res.status(403).format({
        html: () => {
          res.send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in · Propensity</title></head><body style="font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto">
<h1>Sign in to see portal ${portalId}</h1><p>${escapeHtml(message)}.</p><p><a href="/oauth/signin" id="signin">Sign in with HubSpot</a></p></body></html>`);
        },
        default: () => {
          res.json({ status: 'error', message });
        },
      });
      return;
    }
    res.locals.portalId = portalId;
    next();
  };
}
