/**
 * Who may see a portal's page: the browser that installed it (a signed, httpOnly cookie set by the
 * OAuth callback lists the portals it installed). Anyone else gets 403.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

export const ACCESS_COOKIE = 'propensity_portals';

function sign(secret: Buffer, value: string): string {
  return createHmac('sha256', secret).update(`portal-access:${value}`).digest('base64url');
}

export function portalsInCookie(req: Request, secret: Buffer): number[] {
  const header = req.headers.cookie ?? '';
  const raw = header.split(/;\s*/).find((c) => c.startsWith(`${ACCESS_COOKIE}=`))?.slice(ACCESS_COOKIE.length + 1);
  if (!raw) return [];
  const [value, signature] = decodeURIComponent(raw).split('.');
  if (!value || !signature || !/^[\d,]{1,2000}$/.test(value)) return [];
  const expected = Buffer.from(sign(secret, value));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return [];
  return value.split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0);
}

export function grantPortalAccess(req: Request, res: Response, secret: Buffer, portalId: number, secure: boolean): void {
  const portals = [...new Set([...portalsInCookie(req, secret), portalId])].slice(-20).join(',');
  res.cookie(ACCESS_COOKIE, `${portals}.${sign(secret, portals)}`, { httpOnly: true, sameSite: 'lax', secure, maxAge: 30 * 86_400_000, path: '/' });
}

export function requirePortalAccess(secret: Buffer) {
  return (req: Request, res: Response, next: NextFunction) => {
    const portalId = Number(req.params.portalId);
    if (!Number.isInteger(portalId) || portalId <= 0) {
      res.status(404).json({ status: 'error', message: 'No such portal' });
      return;
    }
    if (!portalsInCookie(req, secret).includes(portalId)) {
      res.status(403).json({ status: 'error', message: 'You can only see the portals you installed Propensity into' });
      return;
    }
    res.locals.portalId = portalId;
    next();
  };
}
