/**
 * `propensity sync --portal ID [--full]`: brings an installed portal's copy up to date in the
 * foreground, against the configured MongoDB and HubSpot app, with a progress bar (records
 * done/total, rate, time left) and the same figures in the logs. Interrupted, it resumes from its
 * checkpoint next time.
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../../config.ts';
import { portalModel } from '../../db/models/portal.ts';
import { openDatabase } from '../../db/open-database.ts';
import { loadTokenKeyring } from '../../install/token-keys.ts';
import { createLogger } from '../../log.ts';
import { createServices, hubspotAppFromConfig } from '../../services.ts';
import { logSyncProgress } from '../../sync/log-sync-progress.ts';
import { syncPortalNow } from '../../sync/sync-portal-now.ts';
import { progressFigures } from '../../sync/sync-progress.ts';
import { UsageError, type Command } from '../command.ts';
import { createProgressDisplay } from '../progress-display.ts';

const usage = 'propensity sync --portal ID [--full]   (MongoDB and the HubSpot app from the environment: see .env.example)';

export function parseSyncArgs(argv: string[]): { portalId: number; full: boolean } {
  const { values } = parseArgs({ args: argv, options: { portal: { type: 'string' }, full: { type: 'boolean', default: false } }, strict: true });
  if (values.portal === undefined) throw new UsageError(`--portal is required (usage: ${usage})`);
  const portalId = Number(values.portal);
  if (!/^\d+$/.test(values.portal) || !Number.isSafeInteger(portalId) || portalId < 1) throw new UsageError(`--portal must be a HubSpot portal id (got "${values.portal}")`);
  return { portalId, full: values.full! };
}

export const sync: Command = {
  name: 'sync',
  summary: "bring a portal's copy of its CRM history up to date now, with progress (--full: read everything again)",
  usage,
  async run(argv) {
    const { portalId, full } = parseSyncArgs(argv);
    const config = loadConfig();
    const app = hubspotAppFromConfig(config);
    if (!app) {
      throw new ConfigError('HUBSPOT_CLIENT_ID: propensity sync needs the HubSpot app credentials (HUBSPOT_CLIENT_ID, HUBSPOT_CLIENT_SECRET, HUBSPOT_APP_ID); without them HubSpot is the sandbox inside `propensity serve`, which syncs its demo portal itself');
    }
    const display = createProgressDisplay(process.stdout);
    const logger = createLogger({ level: config.logLevel, destination: { write: (line: string) => display.printAbove(line) } });
    const database = await openDatabase(config, logger);
    try {
      const portal = await portalModel(database.connection).findOne({ portalId }, { status: 1 }).lean();
      if (portal?.status !== 'installed') {
        console.error(`propensity sync: portal ${portalId} has not installed Propensity${portal ? ` (it is ${portal.status})` : ''}`);
        return 1;
      }
      const services = createServices(database.connection, logger, app, await loadTokenKeyring(config), { leaseMs: config.jobLeaseMs });
      const logProgress = logSyncProgress(logger, portalId);
      const results = await syncPortalNow(database.connection, services.hubspot.forPortal(portalId), {
        full,
        onProgress(progress) {
          display.update(progressFigures(progress, new Date()));
          logProgress(progress);
        },
      });
      display.end();
      for (const r of results) {
        console.log(`${r.objectType}: ${r.records.toLocaleString('en-US')} records, ${r.changed.toLocaleString('en-US')} changed since${full ? `, ${r.deleted.toLocaleString('en-US')} deleted in HubSpot` : ''}`);
      }
      const stats = services.hubspot.statsFor(portalId);
      logger.info({ portalId, full, results, requests: stats.requests, rateLimited: stats.rateLimited }, `portal ${portalId} is up to date`);
      return 0;
    } finally {
      display.end();
      await database.close();
    }
  },
};
