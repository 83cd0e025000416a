/**
 * A portal's contacts (or companies) for a training run, reading only what the models can use: the feature plan is
 * decided on a spread sample of the records first (as planFeatures would decide it on the whole
 * portal, which it samples the same way), then the whole history is read with just those properties
 * and the ones labels and decisions need. On a large portal this is most of the memory.
 */
import type { Connection } from 'mongoose';
import type { LabelSettings, Target } from './label-settings.ts';
import { alwaysRead, loadPortalHistory, samplePortalHistory, type LoadedHistory, type PropertySelection, type ScoredObjectType } from './load-portal-history.ts';
import { planFeatures, type FeaturePlan } from './plan-features.ts';

/** The properties a set of feature plans reads, plus those every run needs. */
export function propertiesFor(plans: FeaturePlan[]): PropertySelection {
  const records = new Set(alwaysRead.records);
  const companies = new Set(alwaysRead.companies);
  for (const plan of plans) {
    for (const name of [...plan.numeric, ...plan.counters, ...plan.dates, ...plan.categorical]) records.add(name);
    for (const name of [...plan.companyNumeric, ...plan.companyCategorical]) companies.add(name);
  }
  return { records: [...records], companies: [...companies], deals: alwaysRead.deals };
}

export async function loadTrainingHistory(connection: Connection, portalId: number, settings: LabelSettings, objectType: ScoredObjectType = 'contacts'): Promise<LoadedHistory> {
  const records = await samplePortalHistory(connection, portalId, objectType);
  const companies = objectType === 'contacts' ? await samplePortalHistory(connection, portalId, 'companies') : [];
  const targets: Target[] = ['lead', 'churn'];
  return loadPortalHistory(connection, portalId, objectType, undefined, propertiesFor(targets.map((target) => planFeatures(records, companies, target, settings))));
}
