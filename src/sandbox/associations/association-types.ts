/**
 * HubSpot's default (HUBSPOT_DEFINED) association types between contacts, companies and deals:
 * the unlabeled type of each direction, and the "Primary" company types.
 */
import type { SandboxObjectType } from '../sandbox-store.ts';

export interface AssociationTypeInfo {
  from: SandboxObjectType;
  to: SandboxObjectType;
  label: string | null;
}

/** The default (unlabeled) type id of each direction. */
export const defaultTypeIds: Record<`${SandboxObjectType}:${SandboxObjectType}`, number | undefined> = {
  'contacts:companies': 279, 'companies:contacts': 280, 'deals:contacts': 3, 'contacts:deals': 4,
  'deals:companies': 341, 'companies:deals': 342,
  'contacts:contacts': undefined, 'companies:companies': undefined, 'deals:deals': undefined,
};

/** The "Primary" type of the directions that have one (a contact's or deal's primary company). */
export const primaryTypeIds: Partial<Record<`${SandboxObjectType}:${SandboxObjectType}`, number>> = {
  'contacts:companies': 1, 'companies:contacts': 2, 'deals:companies': 5, 'companies:deals': 6,
};

export const associationTypes = new Map<number, AssociationTypeInfo>([
  [279, { from: 'contacts', to: 'companies', label: null }], [1, { from: 'contacts', to: 'companies', label: 'Primary' }],
  [280, { from: 'companies', to: 'contacts', label: null }], [2, { from: 'companies', to: 'contacts', label: 'Primary' }],
  [3, { from: 'deals', to: 'contacts', label: null }], [4, { from: 'contacts', to: 'deals', label: null }],
  [341, { from: 'deals', to: 'companies', label: null }], [5, { from: 'deals', to: 'companies', label: 'Primary' }],
  [342, { from: 'companies', to: 'deals', label: null }], [6, { from: 'companies', to: 'deals', label: 'Primary' }],
]);

/** The association types of one link, as v4 lists them: primary first when it is the primary one. */
export function typesOfLink(from: SandboxObjectType, to: SandboxObjectType, primary: boolean): { category: 'HUBSPOT_DEFINED'; typeId: number; label: string | null }[] {
  const key = `${from}:${to}` as const;
  const types: { category: 'HUBSPOT_DEFINED'; typeId: number; label: string | null }[] = [];
  const primaryId = primaryTypeIds[key];
  if (primary && primaryId !== undefined) types.push({ category: 'HUBSPOT_DEFINED', typeId: primaryId, label: 'Primary' });
  const defaultId = defaultTypeIds[key];
  if (defaultId !== undefined) types.push({ category: 'HUBSPOT_DEFINED', typeId: defaultId, label: null });
  return types;
}
