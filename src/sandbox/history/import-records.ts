/**
 * Loads records with a known past into a sandbox portal: custom property definitions, then each
 * record created at its own time with its values, and later changes at theirs (so property history
 * says what was known when). For backtests that replay a dataset as CRM history. Nothing is
 * announced as a webhook unless an app is already installed.
 */
import { definitionFrom } from '../properties/property-definitions.ts';
import type { ChangeSource, SandboxObjectType, SandboxPortal } from '../sandbox-store.ts';

export interface ImportedProperty {
  name: string;
  label: string;
  type: 'number' | 'string';
}

export interface ImportedRecord {
  createdAt: number;
  values: Record<string, string>;
  /** Changes after creation, oldest first. */
  changes?: { at: number; values: Record<string, string> }[];
  /** Records (already in the portal) it is linked to from its creation on. */
  associations?: { toType: SandboxObjectType; toId: number }[];
}

const importSource: ChangeSource = { sourceType: 'IMPORT', changeSource: 'IMPORT' };

export function importRecords(portal: SandboxPortal, type: SandboxObjectType, properties: ImportedProperty[], records: ImportedRecord[]): number[] {
  const groupName = [...portal.groups[type].keys()][0];
  for (const p of properties) {
    if (portal.properties[type].has(p.name)) continue;
    const definition = definitionFrom(portal, type, { name: p.name, label: p.label, type: p.type, fieldType: p.type === 'number' ? 'number' : 'text', groupName, description: 'Imported for a backtest' });
    portal.properties[type].set(p.name, definition);
  }
  return records.map((record) => {
    const object = portal.create(type, record.values, importSource, record.createdAt);
    for (const change of record.changes ?? []) portal.write(type, object, change.values, importSource, change.at);
    for (const link of record.associations ?? []) portal.associate(type, object.id, link.toType, link.toId, importSource, record.createdAt);
    return object.id;
  });
}
