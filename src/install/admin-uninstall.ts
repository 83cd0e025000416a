/**
 * An admin uninstalls Propensity from the app's page: HubSpot is told first (the app's own
 * uninstall endpoint), then the same clean-up as any uninstall. If HubSpot already considers the app
 * uninstalled (401), the clean-up still runs.
 */
import type { Connection } from 'mongoose';
import { PortalAccessLostError, PortalNotInstalledError, statusOf } from '../hubspot/errors.ts';
import type { HubSpotClients } from '../hubspot/get-hubspot-client.ts';
import { uninstallPortal } from './uninstall-portal.ts';

export const UNINSTALL_PATH = '/appinstalls/2026-03/external-install';

export async function adminUninstall(connection: Connection, hubspot: HubSpotClients, portalId: number): Promise<void> {
  try {
    await hubspot.forPortal(portalId).call(async (client) => {
      const answer = await client.apiRequest({ method: 'DELETE', path: UNINSTALL_PATH });
      if (answer.status >= 400) throw Object.assign(new Error(`HubSpot answered ${answer.status} to the uninstall`), { code: answer.status });
      return answer;
    });
  } catch (error) {
    if (!(error instanceof PortalAccessLostError) && !(error instanceof PortalNotInstalledError) && statusOf(error) !== 401) throw error;
  }
  await uninstallPortal(connection, portalId, 'admin-uninstalled');
}
