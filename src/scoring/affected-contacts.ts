/**
 * Which contacts' scores a change touches: the contacts changed themselves, the contacts of a
 * changed deal, and the contacts of a changed company (its firmographics are their features).
 */
import type { Connection } from 'mongoose';
import { crmObjectModel } from '../db/models/crm-object.ts';
import type { CrmObjectType } from '../sync/crm-record.ts';

export async function affectedContacts(connection: Connection, portalId: number, changed: Map<CrmObjectType, string[]>): Promise<string[]> {
  const contacts = new Set(changed.get('contacts') ?? []);
  const deals = changed.get('deals') ?? [];
  if (deals.length > 0) {
    for (const deal of await crmObjectModel(connection).find({ portalId, objectType: 'deals', objectId: { $in: deals } }, { associations: 1 }).lean()) {
      for (const link of deal.associations ?? []) if (link.toType === 'contacts') for (const id of link.ids) contacts.add(id);
    }
  }
  const companies = changed.get('companies') ?? [];
  if (companies.length > 0) {
    for (const contact of await crmObjectModel(connection).find({ portalId, objectType: 'contacts', 'associations.ids': { $in: companies } }, { objectId: 1, associations: 1 }).lean()) {
      if (contact.associations?.some((l) => l.toType === 'companies' && l.ids.some((id) => companies.includes(id)))) contacts.add(contact.objectId);
    }
  }
  return [...contacts];
}
