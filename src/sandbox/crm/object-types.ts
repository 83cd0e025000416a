/** The object types the CRM paths accept, under every name HubSpot accepts for them. */
import { SandboxError } from '../errors.ts';
import { sandboxObjectTypes, type SandboxObjectType } from '../sandbox-store.ts';

const aliases: Record<string, SandboxObjectType> = {
  contacts: 'contacts', contact: 'contacts', '0-1': 'contacts',
  companies: 'companies', company: 'companies', '0-2': 'companies',
  deals: 'deals', deal: 'deals', '0-3': 'deals',
};

export function objectTypeParam(value: unknown): SandboxObjectType {
  const type = aliases[String(value).toLowerCase()];
  if (!type) throw new SandboxError(400, 'VALIDATION_ERROR', `Unable to infer object type from: ${String(value)}`);
  return type;
}

export const readScopes = (type: SandboxObjectType) => [`crm.objects.${type}.read`];
export const writeScopes = (type: SandboxObjectType) => [`crm.objects.${type}.write`];
/** Reading property definitions: HubSpot accepts any CRM object or schema scope. */
export const schemaReadScopes = (_type: SandboxObjectType) =>
  sandboxObjectTypes.flatMap((t) => [`crm.objects.${t}.read`, `crm.objects.${t}.write`, `crm.schemas.${t}.read`, `crm.schemas.${t}.write`]);
export const schemaWriteScopes = (type: SandboxObjectType) => [`crm.schemas.${type}.write`];

export function isObjectType(value: string): value is SandboxObjectType {
  return (sandboxObjectTypes as string[]).includes(value);
}
