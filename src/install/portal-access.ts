/**
 * What it means for an install when HubSpot stops accepting its tokens. HubSpot's guidelines: a 401
 * is no sign that the app was uninstalled. So a portal whose tokens HubSpot refuses is marked as
 * needing re-authorisation and keeps its data (an admin installing again resumes where the sync
 * stopped); nothing is requested from HubSpot for it meanwhile. Only a refresh token HubSpot refused
 * as revoked (`invalid_grant` / `BAD_REFRESH_TOKEN`, its sign of an uninstall) leads to deletion, and
 * only after the retention period (`REFUSED_TOKEN_RETENTION_DAYS`), so that an admin who re-installs
 * within it loses nothing. HubSpot's uninstall, the admin's own button and privacy deletions delete
 * at once (uninstall-portal.ts, admin-uninstall.ts, the webhook processing).
 */
import type { Connection } from 'mongoose';
import { portalModel } from '../db/models/portal.ts';
import type { AccessLostReason } from '../hubspot/errors.ts';
import { uninstallPortal } from './uninstall-portal.ts';

/** Marks an installed portal; returns whether it was installed (a second report changes nothing). */
export async function markNeedsReauthorisation(connection: Connection, portalId: number, reason: AccessLostReason, now = new Date()): Promise<boolean> {
  const marked = await portalModel(connection).updateOne(
    { portalId, status: 'installed' },
    { $set: { status: 'needs-reauthorisation', reauthorisation: { reason, since: now } }, $unset: { tokenRefreshLease: 1 } },
  );
  return marked.modifiedCount > 0;
}

/**
 * Deletes the data of portals whose refresh token HubSpot refused more than `retentionDays` ago and
 * that nobody re-installed since. Returns their ids.
 */
export async function deleteRefusedPortalsPastRetention(connection: Connection, retentionDays: number, now = new Date()): Promise<number[]> {
  const before = new Date(now.getTime() - retentionDays * 86_400_000);
  const due = await portalModel(connection)
    .find({ status: 'needs-reauthorisation', 'reauthorisation.reason': 'refresh-token-rejected', 'reauthorisation.since': { $lte: before } }, { portalId: 1 })
    .lean();
  const deleted: number[] = [];
  for (const { portalId } of due) {
    if (await uninstallPortal(connection, portalId, 'refresh-token-rejected', now)) deleted.push(portalId);
  }
  return deleted;
}
