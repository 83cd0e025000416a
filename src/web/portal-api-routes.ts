/**
 * The portal page's JSON API (what the page's script calls; documented in the README), for people
 * signed in to the portal only:
 * - `GET /portals/:portalId/api/status`: install, sync progress (per object and overall), webhook
 *   backlog and dead letters, jobs, scores, enrolments, uplift;
 * - `GET /portals/:portalId/api/models`: per object type (contacts, companies) and target the current model, its charts, the score
 *   histogram by tier and the version history;
 * - `GET /portals/:portalId/api/send-times`: the portal's send-time summary (engagement pattern over
 *   the week, chosen vs random send times' engagement and the measured lift), or
 *   `{ measured: false, message }` before the first scoring run decided any;
 * - `GET /portals/:portalId/api/settings`: the settings in force;
 * - `GET /portals/:portalId/api/settings/preview?salesFastTrack=0.4&…`: the same fields as the
 *   settings form; how many records each changed threshold would move (400 with the problems when
 *   the change would not validate). Read-only: nothing is saved.
 */
import { Router } from 'express';
import type { Services } from '../services.ts';
import { loadPortalSettings, mergeSettings, SettingsError } from '../settings/portal-settings.ts';
import { requirePortalAccess } from './portal-access.ts';
import { portalModels, previewThresholds } from './portal-models.ts';
import { portalSendTimes } from './portal-send-times.ts';
import { portalStatus } from './portal-status.ts';
import { settingsChangeFromForm } from './settings-routes.ts';

export function portalApiRoutes(services: Services): Router {
  const router = Router();
  const { connection } = services;

  router.get('/portals/:portalId/api/status', requirePortalAccess(), async (_req, res) => {
    const status = await portalStatus(connection, res.locals.portalId);
    if (!status) {
      res.status(404).json({ status: 'error', message: 'This portal has not installed Propensity' });
      return;
    }
    res.json(status);
  });

  router.get('/portals/:portalId/api/models', requirePortalAccess(), async (_req, res) => {
    const settings = await loadPortalSettings(connection, res.locals.portalId);
    res.json({ targets: await portalModels(connection, res.locals.portalId, settings.decisions) });
  });

  router.get('/portals/:portalId/api/send-times', requirePortalAccess(), async (_req, res) => {
    res.json(await portalSendTimes(connection, res.locals.portalId));
  });

  router.get('/portals/:portalId/api/settings', requirePortalAccess(), async (_req, res) => {
    res.json(await loadPortalSettings(connection, res.locals.portalId));
  });

  router.get('/portals/:portalId/api/settings/preview', requirePortalAccess(), async (req, res) => {
    const portalId: number = res.locals.portalId;
    const current = await loadPortalSettings(connection, portalId);
    // Only plain strings from the query (never arrays or objects) reach the form parser.
    const fields = Object.fromEntries(Object.entries(req.query).filter(([, v]) => typeof v === 'string'));
    try {
      const proposed = mergeSettings(current, settingsChangeFromForm(fields));
      res.json({ current: current.decisions, proposed: proposed.decisions, moves: await previewThresholds(connection, portalId, current.decisions, proposed.decisions) });
    } catch (error) {
      if (!(error instanceof SettingsError)) throw error;
      res.status(400).json({ status: 'error', message: 'These settings would not be saved', problems: error.problems });
    }
  });

  return router;
}
