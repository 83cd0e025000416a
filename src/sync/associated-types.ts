import type { CrmObjectType } from './crm-record.ts';

/** The links the features need, stored on the `from` side (contact → its companies, deal → its contacts and companies). */
export const associatedTypes: Record<CrmObjectType, CrmObjectType[]> = {
  contacts: ['companies'],
  companies: [],
  deals: ['contacts', 'companies'],
};
