/** One deal with its stage history, linked to its contact and company, and noted for the company's roll-ups. */
import { link, type SandboxObject } from '../sandbox-store.ts';
import { dealStageProbability, dealStages } from '../standard-properties.ts';
import { OWNER, type GeneratedCompany, type GeneratorContext } from './generator-context.ts';
import { inTimeOrder, newObject, record } from './record-history.ts';

const lostReasons = ['Budget', 'Went with a competitor', 'No decision', 'Timing'];

export interface DealPlan {
  openAt: number;
  /** Past the portal's "today", the deal is still open. */
  closeAt: number;
  won: boolean;
  dealtype: 'newbusiness' | 'existingbusiness';
}

export function addDeal(context: GeneratorContext, contact: SandboxObject, company: GeneratedCompany, { openAt, closeAt, won, dealtype }: DealPlan): void {
  const { portal, draw, last } = context;
  const deal = newObject(portal.newId(), openAt);
  const amount = Math.round((2_000 + company.employees * (20 + draw.uniform() * 80)) / 100) * 100;
  const set = (name: string, value: string, at = openAt, sourceType = 'CRM_UI') => record(deal, name, value, at, sourceType, sourceType === 'CRM_UI' ? OWNER : undefined);
  set('dealname', `${dealtype === 'newbusiness' ? 'New' : 'Renewal'} – ${company.object.props.get('name')![0].value}`);
  set('pipeline', 'default');
  set('dealtype', dealtype);
  set('amount', String(amount));
  set('closedate', new Date(closeAt).toISOString());
  set('hs_is_closed', 'false', openAt, 'CALCULATED');
  set('hs_is_closed_won', 'false', openAt, 'CALCULATED');
  set('num_associated_contacts', '1', openAt, 'CALCULATED');
  const steps = 1 + Math.floor(draw.uniform() * 5);
  for (let s = 0; s < steps; s++) {
    const at = openAt + Math.floor(((closeAt - openAt) * s) / (steps + 1));
    if (at > last) break;
    set('dealstage', dealStages[s], at);
    set('hs_deal_stage_probability', String(dealStageProbability[dealStages[s]]), at, 'CALCULATED');
  }
  company.events.push({ at: openAt, kind: 'open', amount });
  if (closeAt <= last) {
    const outcome = won ? 'closedwon' : 'closedlost';
    set('dealstage', outcome, closeAt);
    set('hs_deal_stage_probability', String(dealStageProbability[outcome]), closeAt, 'CALCULATED');
    set('hs_is_closed', 'true', closeAt, 'CALCULATED');
    if (won) set('hs_is_closed_won', 'true', closeAt, 'CALCULATED');
    else set('closed_lost_reason', dealtype === 'existingbusiness' ? 'Churned' : draw.pick(lostReasons), closeAt);
    company.events.push({ at: closeAt, kind: won ? 'won' : 'lost', amount });
  }
  inTimeOrder(deal);
  link(deal, 'contacts', contact.id);
  link(deal, 'companies', company.object.id);
  link(contact, 'deals', deal.id);
  link(company.object, 'deals', deal.id);
  portal.insert('deals', deal);
  context.counts.deals += 1;
}
