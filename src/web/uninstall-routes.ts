/**
 * The uninstall button on a portal's page (CSRF-checked like every form that changes something):
 * HubSpot is told, the portal's tokens and data are deleted (src/install/admin-uninstall.ts), and the
 * portal leaves the session.
 */
import express, { Router } from 'express';
import { adminUninstall } from '../install/admin-uninstall.ts';
import { oauthStateSecret, type Services } from '../services.ts';
import { requirePortalAccess } from './portal-access.ts';
import { validCsrf } from './settings-routes.ts';

export function uninstallRoutes(services: Services): Router {
  const router = Router();
  const secret = oauthStateSecret(services.keyring);
  router.post('/portals/:portalId/uninstall', requirePortalAccess(), express.urlencoded({ extended: false, limit: '4kb' }), async (req, res) => {
    const portalId: number = res.locals.portalId;
    if (!validCsrf(secret, portalId, req, (req.body as Record<string, unknown> | undefined)?.csrf)) {
      res.status(403).json({ status: 'error', message: 'The form has expired or did not come from this page; reload the page and try again' });
      return;
    }
    await adminUninstall(services.connection, services.hubspot, portalId);
    req.log.info({ portalId }, 'portal uninstalled from its page');
    req.session.portals = (req.session.portals ?? []).filter((p) => p !== portalId);
    res.redirect(303, `/?uninstalled=${portalId}`);
  });
  return router;
}
