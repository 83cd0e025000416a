/**
 * Which records' scores a change touches: the contacts and companies changed themselves, the
 * contacts and companies of a changed deal (their deal features), and the contacts of a changed
 * company (its firmographics are their features).
 */
import type { Connection } from 'mongoose';
import { crmObjectModel } from '../db/models/crm-object.ts';
import type { ScoredObjectType } from '../features/load-portal-history.ts';
import type { CrmObjectType } from '../sync/crm-record.ts';

export async function affectedRecords(connection: Connection, portalId: number, changed: Map<CrmObjectType, string[]>): Promise<Record<ScoredObjectType, string[]>> {
  const objects = crmObjectModel(connection);
  const contacts = new Set(changed.get('contacts') ?? []);
  const companies = new Set(changed.get('companies') ?? []);
  /** Records of `objectType` linked to one of `ids` by their `toType` association. */
  const linkedTo = async (objectType: CrmObjectType, toType: CrmObjectType, ids: string[]) => {
    const found: string[] = [];
    for (const doc of await objects.find({ portalId, objectType, 'associations.ids': { $in: ids } }, { objectId: 1, associations: 1 }).lean()) {
      if (doc.associations?.some((l) => l.toType === toType && l.ids.some((id) => ids.includes(id)))) found.push(doc.objectId);
    }
    return found;
  };
  const deals = changed.get('deals') ?? [];
  if (deals.length > 0) {
    for (const deal of await objects.find({ portalId, objectType: 'deals', objectId: { $in: deals } }, { associations: 1 }).lean()) {
      for (const link of deal.associations ?? []) if (link.toType === 'contacts') for (const id of link.ids) contacts.add(id);
    }
    for (const id of await linkedTo('companies', 'deals', deals)) companies.add(id);
  }
  const changedCompanies = changed.get('companies') ?? [];
  if (changedCompanies.length > 0) for (const id of await linkedTo('contacts', 'companies', changedCompanies)) contacts.add(id);
  return { contacts: [...contacts], companies: [...companies] };
}
