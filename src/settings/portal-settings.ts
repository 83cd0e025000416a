/**
 * A portal's settings: what counts as a conversion and as churn (labels) and the decision policy.
 * Stored only as the admin chose them, read back merged over the defaults; a save that does not
 * validate is refused whole, with the reasons, and nothing is stored.
 */
import type { Connection } from 'mongoose';
import { z } from 'zod';
import { portalSettingsModel } from '../db/models/portal-settings.ts';
import { decisionSettingsSchema, defaultDecisionSettings, type DecisionSettings } from '../decisions/decision-settings.ts';
import { defaultLabelSettings, labelSettingsSchema, type LabelSettings } from '../features/label-settings.ts';

export interface PortalSettings {
  labels: LabelSettings;
  decisions: DecisionSettings;
}

export const defaultPortalSettings: PortalSettings = { labels: defaultLabelSettings, decisions: defaultDecisionSettings };

export class SettingsError extends Error {
  override name = 'SettingsError';
  constructor(readonly problems: string[]) {
    super(`settings not saved: ${problems.join('; ')}`);
  }
}

/** Merges a partial change over the current settings and validates the result. Pure. */
export function mergeSettings(current: PortalSettings, change: unknown): PortalSettings {
  const partial = z.object({ labels: z.record(z.string(), z.unknown()).optional(), decisions: z.record(z.string(), z.unknown()).optional() }).strict().safeParse(change);
  if (!partial.success) throw new SettingsError(partial.error.issues.map((i) => `${i.path.join('.') || 'settings'}: ${i.message}`));
  const labels = labelSettingsSchema.safeParse({ ...current.labels, ...partial.data.labels });
  const decisions = decisionSettingsSchema.safeParse({ ...current.decisions, ...partial.data.decisions });
  const problems = [
    ...(labels.success ? [] : labels.error.issues.map((i) => `labels.${i.path.join('.')}: ${i.message}`)),
    ...(decisions.success ? [] : decisions.error.issues.map((i) => `decisions.${i.path.join('.')}: ${i.message}`)),
  ];
  if (problems.length > 0 || !labels.success || !decisions.success) throw new SettingsError(problems);
  return { labels: labels.data, decisions: decisions.data };
}

export async function loadPortalSettings(connection: Connection, portalId: number): Promise<PortalSettings> {
  const stored = await portalSettingsModel(connection).findOne({ portalId }).lean();
  if (!stored) return defaultPortalSettings;
  try {
    return mergeSettings(defaultPortalSettings, { labels: stored.labels ?? undefined, decisions: stored.decisions ?? undefined });
  } catch {
    return defaultPortalSettings;
  }
}

export async function savePortalSettings(connection: Connection, portalId: number, change: unknown): Promise<PortalSettings> {
  const next = mergeSettings(await loadPortalSettings(connection, portalId), change);
  await portalSettingsModel(connection).updateOne(
    { portalId },
    { $set: { labels: next.labels, decisions: next.decisions, updatedAt: new Date() }, $setOnInsert: { portalId } },
    { upsert: true },
  );
  return next;
}
