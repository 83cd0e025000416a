/**
 * A portal's whole initial sync: companies, then contacts, then deals (so every link has both ends),
 * each resumable from its checkpoint. Progress is reported per object type.
 */
import type { Connection } from 'mongoose';
import { syncStateModel } from '../db/models/sync-state.ts';
import type { PortalHubSpot } from '../hubspot/get-hubspot-client.ts';
import { crmObjectTypes, type CrmObjectType } from './crm-record.ts';
import { initialSync, type InitialSyncOptions } from './initial-sync.ts';

export const syncOrder = ['companies', 'contacts', 'deals'] as const;

export async function syncPortal(connection: Connection, hubspot: PortalHubSpot, options: InitialSyncOptions = {}): Promise<'done' | 'paused'> {
  for (const objectType of syncOrder) {
    if ((await initialSync(connection, hubspot, objectType, options)) === 'paused') return 'paused';
  }
  return 'done';
}

export interface PortalSyncStatus {
  objectType: CrmObjectType;
  status: string;
  done: number;
  total: number | null;
  startedAt: Date | null;
  resumedAt: Date | null;
  doneAtResume: number;
  finishedAt: Date | null;
  watermark: Date | null;
  /** The last incremental sync: when, and how many records it found changed. */
  lastIncremental: { at: Date; changed: number } | null;
}

export async function portalSyncStatus(connection: Connection, portalId: number): Promise<PortalSyncStatus[]> {
  const states = await syncStateModel(connection).find({ portalId }).lean();
  return crmObjectTypes.map((objectType) => {
    const state = states.find((s) => s.objectType === objectType);
    return {
      objectType,
      status: state?.initial?.status ?? 'not started',
      done: state?.initial?.done ?? 0,
      total: state?.initial?.total ?? null,
      startedAt: state?.initial?.startedAt ?? null,
      resumedAt: state?.initial?.resumedAt ?? state?.initial?.startedAt ?? null,
      doneAtResume: state?.initial?.doneAtResume ?? 0,
      finishedAt: state?.initial?.finishedAt ?? null,
      watermark: state?.watermark ?? null,
      lastIncremental: state?.lastIncremental?.at ? { at: state.lastIncremental.at, changed: state.lastIncremental.changed ?? 0 } : null,
    };
  });
}
