/**
 * Creates the "Propensity AI" property group and the output properties in a portal. Idempotent: a
 * group or property that exists (409) is fine; one that exists with another type is reported, so the
 * portal's page can tell the admin exactly which property to fix.
 */
import type { PortalHubSpot } from '../hubspot/get-hubspot-client.ts';
import { statusOf } from '../hubspot/errors.ts';
import type { PropertyCreate } from '@hubspot/api-client/lib/codegen/crm/properties/index.js';
import { OUTPUT_GROUP, outputObjectTypes, outputProperties, type OutputPropertyDefinition } from './output-properties.ts';

export interface PropertyProblem {
  objectType: string;
  name: string;
  problem: string;
}

/** The definition as HubSpot's create call takes it: every option with its (required) `hidden`. */
export function propertyCreate(definition: OutputPropertyDefinition): PropertyCreate {
  return {
    name: definition.name, label: definition.label, description: definition.description, groupName: OUTPUT_GROUP.name,
    type: definition.type as PropertyCreate['type'], fieldType: definition.fieldType as PropertyCreate['fieldType'],
    ...(definition.options ? { options: definition.options.map((o) => ({ label: o.label, value: o.value, displayOrder: o.displayOrder, hidden: o.hidden ?? false })) } : {}),
  };
}

export async function ensureOutputProperties(hubspot: PortalHubSpot): Promise<{ created: number; existing: number; problems: PropertyProblem[] }> {
  let created = 0;
  let existing = 0;
  const problems: PropertyProblem[] = [];
  for (const objectType of outputObjectTypes) {
    try {
      await hubspot.call((c) => c.crm.properties.groupsApi.create(objectType, OUTPUT_GROUP));
    } catch (error) {
      if (statusOf(error) !== 409) throw error;
    }
    const current = new Map((await hubspot.call((c) => c.crm.properties.coreApi.getAll(objectType, false))).results.map((p) => [p.name, p]));
    for (const definition of outputProperties) {
      const found = current.get(definition.name);
      if (found) {
        existing += 1;
        if (found.type !== definition.type || found.fieldType !== definition.fieldType) {
          problems.push({ objectType, name: definition.name, problem: `exists as ${found.type}/${found.fieldType}, Propensity needs ${definition.type}/${definition.fieldType}` });
        }
        continue;
      }
      try {
        await hubspot.call((c) => c.crm.properties.coreApi.create(objectType, propertyCreate(definition)));
        created += 1;
      } catch (error) {
        if (statusOf(error) !== 409) throw error;
        existing += 1;
      }
    }
  }
  return { created, existing, problems };
}
