import type { CrmObjectType } from './crm-record.ts';

/**
 * The links the features need, stored on the `from` side: contact → its companies, company → its
 * deals, deal → its contacts. Each pair is read from one side only (HubSpot announces a change from
 * both sides, so either side stays fresh), and no type reads more than one: every type's initial sync
 * reads them inline with its pages (`associations=`), at no extra request.
 */
export const associatedTypes: Record<CrmObjectType, CrmObjectType[]> = {
  contacts: ['companies'],
  companies: ['deals'],
  deals: ['contacts'],
};
