/** What the parts of the history generator share: the portal, the seeded draws, the clock, the counts. */
import type { SandboxObject, SandboxPortal } from '../sandbox-store.ts';
import type { Draws } from './random-draws.ts';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const MONTH = 30 * DAY;
/** The portal's one sales rep: CRM_UI history names them. */
export const OWNER = 'userId:101';

export interface GeneratedPortal {
  contacts: number;
  companies: number;
  deals: number;
  /** Contacts that became customers. */
  customers: number;
  /** Customers that later left (lifecycle left customer, renewal lost). */
  churned: number;
}

export interface GeneratorContext {
  portal: SandboxPortal;
  draw: Draws;
  /** The first moment of history. */
  start: number;
  /** The portal's "today". */
  anchor: number;
  /** The latest moment anything may happen. */
  last: number;
  counts: GeneratedPortal;
}

/** A company while its contacts are generated; its roll-up properties are replayed from `events` at the end. */
export interface GeneratedCompany {
  object: SandboxObject;
  /** How well it fits the ideal customer profile (size, industry): raises its contacts' chances. */
  fit: number;
  employees: number;
  events: { at: number; kind: 'contact' | 'open' | 'won' | 'lost' | 'customer' | 'churned'; amount?: number }[];
}
