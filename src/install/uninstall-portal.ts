/**
 * An uninstalled portal: its tokens and every piece of its synced data are deleted; only the audit
 * record stays (portal id, install and uninstall times, the reason).
 */
import type { Connection } from 'mongoose';
import { portalModel } from '../db/models/portal.ts';
import { portalDataCollections } from './portal-data.ts';

/** `refresh-token-rejected`: after the retention period (portal-access.ts); `hubspot-uninstalled`: HubSpot told us. */
export type UninstallReason = 'refresh-token-rejected' | 'hubspot-uninstalled' | 'admin-uninstalled';

/** Idempotent: uninstalling an uninstalled portal changes nothing. Returns whether it was installed. */
export async function uninstallPortal(connection: Connection, portalId: number, reason: UninstallReason, now = new Date()): Promise<boolean> {
  const previous = await portalModel(connection).findOneAndUpdate(
    { portalId, status: { $in: ['installed', 'needs-reauthorisation'] } },
    {
      $set: { status: 'uninstalled', uninstalledAt: now, uninstallReason: reason },
      $unset: { tokens: 1, tokenRefreshLease: 1, hubDomain: 1, scopes: 1, installedBy: 1, reauthorisation: 1 },
    },
  );
  // Delete data even when the status was already uninstalled: a crash between the two steps is finished here.
  for (const name of portalDataCollections) {
    await connection.db!.collection(name).deleteMany({ portalId });
  }
  return previous !== null;
}
