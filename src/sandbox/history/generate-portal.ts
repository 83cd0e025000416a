/**
 * A seeded generator of CRM history that behaves like a B2B funnel, so that a model trained on it
 * has something real to learn:
 *
 * - companies with size, industry, revenue and country; a company's "fit" raises its contacts' chances;
 * - contacts created over the last `months` (more of them recently), each living through the
 *   funnel month by month (contact-journey.ts): engagement accumulating as property history,
 *   stages subscriber → lead → MQL → SQL → opportunity → customer at rates set by that engagement,
 *   deals won and lost, customers who renew or churn after their activity fades;
 * - company roll-ups (deal counts, revenue, customer stage) replayed in time order.
 *
 * Same seed and portal id (which sets the id range), same portal, byte for byte: one mulberry32
 * stream, a fixed "today" (`anchor`), no clock.
 */
import type { SandboxPortal } from '../sandbox-store.ts';
import { industries } from '../standard-properties.ts';
import { addContact } from './contact-journey.ts';
import { HOUR, MONTH, OWNER, type GeneratedCompany, type GeneratedPortal, type GeneratorContext } from './generator-context.ts';
import { seededDraws } from './random-draws.ts';
import { inTimeOrder, newObject, record } from './record-history.ts';

export type { GeneratedPortal } from './generator-context.ts';

export interface GenerateOptions {
  contacts: number;
  seed: number;
  /** The portal's "today": history ends here. Fixed by default so that output never depends on the clock. */
  anchor?: Date;
  /** Months of history (12–24 makes a realistic portal). */
  months?: number;
}

export const GENERATOR_ANCHOR = new Date('2026-11-01T00:00:00.000Z');

const goodIndustries = new Set(['COMPUTER_SOFTWARE', 'INFORMATION_TECHNOLOGY_AND_SERVICES', 'FINANCIAL_SERVICES', 'INTERNET']);
const countries: readonly (readonly [string, string])[] = [
  ['United States', 'Boston'], ['Germany', 'Berlin'], ['United Kingdom', 'London'], ['France', 'Paris'], ['Netherlands', 'Amsterdam'],
  ['Canada', 'Toronto'], ['Australia', 'Sydney'], ['Spain', 'Madrid'],
];

export function generatePortal(portal: SandboxPortal, options: GenerateOptions): GeneratedPortal {
  const months = options.months ?? 24;
  const anchor = (options.anchor ?? GENERATOR_ANCHOR).getTime();
  const context: GeneratorContext = {
    portal,
    draw: seededDraws(options.seed),
    start: anchor - months * MONTH,
    anchor,
    last: anchor - HOUR,
    counts: { contacts: options.contacts, companies: Math.max(1, Math.round(options.contacts / 4)), deals: 0, customers: 0, churned: 0 },
  };
  const companies = Array.from({ length: context.counts.companies }, () => makeCompany(context));
  for (let i = 0; i < options.contacts; i++) addContact(context, companies[Math.floor(context.draw.uniform() * companies.length)]);
  for (const company of companies) {
    replayRollUps(company);
    inTimeOrder(company.object);
    portal.insert('companies', company.object);
  }
  return context.counts;
}

function makeCompany({ portal, draw, start, anchor }: GeneratorContext): GeneratedCompany {
  const createdAt = start + Math.floor(draw.uniform() * (anchor - start - MONTH));
  const object = newObject(portal.newId(), createdAt);
  const employees = Math.max(1, Math.round(Math.exp(2.5 + 1.6 * draw.normal())));
  const industry = draw.pick(industries);
  const [country, city] = draw.pick(countries);
  const set = (name: string, value: string) => record(object, name, value, createdAt, 'CRM_UI', OWNER);
  set('name', `Company ${object.id}`);
  set('domain', `company${object.id}.example.com`);
  set('industry', industry);
  set('numberofemployees', String(employees));
  set('annualrevenue', String(Math.round(employees * (40_000 + draw.uniform() * 160_000))));
  set('country', country);
  set('city', city);
  set('type', 'PROSPECT');
  set('lifecyclestage', 'lead');
  for (const counter of ['num_associated_contacts', 'num_associated_deals', 'hs_num_open_deals']) record(object, counter, '0', createdAt, 'CALCULATED');
  const fit = 0.4 * Math.log10(employees) + (goodIndustries.has(industry) ? 0.4 : 0) - 0.6;
  return { object, fit, employees, events: [] };
}

/** The company's roll-up properties, computed as HubSpot would, in the order things happened. */
function replayRollUps(company: GeneratedCompany): void {
  const object = company.object;
  const calc = (name: string, value: string, at: number) => record(object, name, value, at, 'CALCULATED');
  const count = { contacts: 0, deals: 0, open: 0, revenue: 0, customers: 0 };
  let everCustomer = false;
  for (const event of company.events.sort((a, b) => a.at - b.at)) {
    switch (event.kind) {
      case 'contact':
        calc('num_associated_contacts', String((count.contacts += 1)), event.at);
        break;
      case 'open':
        calc('num_associated_deals', String((count.deals += 1)), event.at);
        calc('hs_num_open_deals', String((count.open += 1)), event.at);
        break;
      case 'lost':
        calc('hs_num_open_deals', String((count.open -= 1)), event.at);
        break;
      case 'won':
        calc('hs_num_open_deals', String((count.open -= 1)), event.at);
        calc('total_revenue', String((count.revenue += event.amount ?? 0)), event.at);
        calc('recent_deal_amount', String(event.amount ?? 0), event.at);
        calc('recent_deal_close_date', new Date(event.at).toISOString(), event.at);
        break;
      case 'customer':
        count.customers += 1;
        record(object, 'lifecyclestage', 'customer', event.at, 'CALCULATED');
        if (!everCustomer) calc('hs_lifecyclestage_customer_date', new Date(event.at).toISOString(), event.at);
        everCustomer = true;
        break;
      case 'churned':
        count.customers -= 1;
        if (count.customers === 0) record(object, 'lifecyclestage', 'other', event.at, 'CRM_UI', OWNER);
        break;
    }
  }
}
