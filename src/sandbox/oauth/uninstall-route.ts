/**
 * `DELETE /appinstalls/2026-03/external-install` (and the older `/appinstalls/v3/…`): the app
 * uninstalls itself from the portal its token belongs to. Needs the `oauth` scope.
 */
import { Router } from 'express';
import { requireScope } from '../api-context.ts';
import type { SandboxState } from '../sandbox-state.ts';

export function uninstallRoutes(state: SandboxState): Router {
  const router = Router();
  router.delete(['/appinstalls/v3/external-install', '/appinstalls/2026-03/external-install'], (_req, res) => {
    const { token, portal } = requireScope(res, ['oauth']);
    state.uninstall(portal.id, token.appId);
    res.status(204).end();
  });
  return router;
}
