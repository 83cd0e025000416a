/**
 * One contact's life in the funnel, month by month: web visits, marketing emails, form
 * submissions and sales touches accumulate as property history at a rate set by the contact's
 * hidden interest; the lifecycle stage advances with a chance that rises with the month's
 * engagement; an opportunity is a deal won or lost; customers renew yearly or churn after three
 * months of fading activity (the warning signs a churn model should find).
 */
import { link, type SandboxObject } from '../sandbox-store.ts';
import { analyticsSources, type LifecycleStage } from '../standard-properties.ts';
import { addDeal } from './deal-history.ts';
import { DAY, HOUR, MONTH, OWNER, type GeneratedCompany, type GeneratorContext } from './generator-context.ts';
import { sigmoid } from './random-draws.ts';
import { inTimeOrder, newObject, record } from './record-history.ts';

const funnel: LifecycleStage[] = ['subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer'];
const MQL = 2;
const SQL = 3;
const OPPORTUNITY = 4;
const CUSTOMER = 5;
const leadStatus: Partial<Record<LifecycleStage, string>> = { lead: 'NEW', marketingqualifiedlead: 'OPEN', salesqualifiedlead: 'IN_PROGRESS', opportunity: 'OPEN_DEAL' };
const stageSource: Partial<Record<LifecycleStage, string>> = { subscriber: 'FORM', lead: 'AUTOMATION_PLATFORM', marketingqualifiedlead: 'AUTOMATION_PLATFORM', customer: 'CALCULATED' };
const firstNames = ['Ava', 'Ben', 'Chloe', 'Dan', 'Emma', 'Finn', 'Grace', 'Hugo', 'Isla', 'Jack', 'Kai', 'Lena', 'Mia', 'Noah', 'Olivia', 'Paul', 'Quinn', 'Ruby', 'Sam', 'Tara', 'Uma', 'Victor', 'Wen', 'Yusuf', 'Zoe'];
const lastNames = ['Smith', 'Jones', 'Garcia', 'Müller', 'Rossi', 'Dubois', 'Kowalski', 'Nakamura', 'Silva', 'Okafor', 'Larsen', 'Novak', 'Chen', 'Patel', 'Byrne'];
/** Job titles and how much their seniority raises interest. */
const titles: readonly (readonly [string, number])[] = [
  ['Intern', -0.7], ['Student', -0.8], ['Analyst', -0.2], ['Developer', -0.3], ['Consultant', 0], ['Marketing Manager', 0.3],
  ['Operations Manager', 0.2], ['Head of Sales', 0.5], ['VP Marketing', 0.7], ['CFO', 0.5], ['CEO', 0.6],
];
/** How much each original source raises interest. */
const sourceEffect: Record<string, number> = {
  ORGANIC_SEARCH: 0.3, PAID_SEARCH: 0.2, EMAIL_MARKETING: 0.1, SOCIAL_MEDIA: -0.3, REFERRALS: 0.8, OTHER_CAMPAIGNS: -0.2,
  DIRECT_TRAFFIC: 0.4, OFFLINE: 0.5, PAID_SOCIAL: -0.5, AI_REFERRALS: 0.3,
};
const sourceDetail: Record<string, string> = {
  ORGANIC_SEARCH: 'google', PAID_SEARCH: 'google ads', EMAIL_MARKETING: 'newsletter', SOCIAL_MEDIA: 'linkedin', REFERRALS: 'partner-site.example',
  OTHER_CAMPAIGNS: 'webinar', DIRECT_TRAFFIC: 'direct', OFFLINE: 'trade show', PAID_SOCIAL: 'linkedin ads', AI_REFERRALS: 'chat assistant',
};
const formNames = ['Demo request', 'Pricing page', 'Ebook download', 'Webinar sign-up', 'Contact us', 'Newsletter sign-up'];

/** What one month of activity showed: the signals stage changes depend on. */
interface MonthSignals {
  views: number;
  clicks: number;
  forms: number;
  replied: boolean;
}

export function addContact(context: GeneratorContext, company: GeneratedCompany): void {
  new ContactJourney(context, company).live();
}

class ContactJourney {
  private readonly contact: SandboxObject;
  private readonly seniority: number;
  /** The hidden driver a good model should recover from the observable history. */
  private readonly interest: number;
  private stage: number;
  private readonly tally = { views: 0, visits: 0, eventsDone: 0, delivered: 0, opens: 0, clicks: 0, bounces: 0, forms: 0, touches: 0, uniqueForms: new Set<string>() };
  private optedOut = false;
  private customerSince = -1;
  private churnAt = Number.POSITIVE_INFINITY;
  private nextRenewal = Number.POSITIVE_INFINITY;
  private pendingDeal: { closeAt: number; won: boolean } | undefined;
  /** Sales does not come back to a lost deal at once. */
  private quietUntil = 0;
  private readonly dealOpenings: number[] = [];

  constructor(
    private readonly context: GeneratorContext,
    private readonly company: GeneratedCompany,
  ) {
    const { portal, draw, start, anchor } = context;
    // More contacts recently, as a growing business has.
    const createdAt = Math.max(company.object.createdAt + HOUR, start + Math.floor(draw.uniform() ** 0.75 * (anchor - start - 7 * DAY)));
    this.contact = newObject(portal.newId(), createdAt);
    const [title, seniority] = draw.pick(titles);
    const source = draw.pick(analyticsSources);
    this.seniority = seniority;
    this.describe(title, source);
    this.stage = draw.chance(0.55) ? 0 : 1;
    this.setStage(this.stage, createdAt);
    this.interest = 0.8 * draw.normal() + (sourceEffect[source] ?? 0) + 0.6 * seniority + company.fit;
  }

  live(): void {
    const { anchor, last, portal, counts } = this.context;
    const { contact } = this;
    for (let t = contact.createdAt; t < anchor; t += MONTH) {
      const monthEnd = Math.min(t + MONTH, last);
      if (this.pendingDeal && this.pendingDeal.closeAt <= monthEnd) this.closeDeal();
      const isCustomer = this.customerSince >= 0;
      if (isCustomer && t >= this.churnAt) {
        this.churn(Math.min(last, this.churnAt));
        counts.churned += 1;
        break;
      }
      const warning = isCustomer && t >= this.churnAt - 3 * MONTH;
      const age = (t - contact.createdAt) / MONTH;
      const intensity = Math.exp(0.9 * this.interest - 0.07 * age) * (warning ? 0.2 : 1) * (isCustomer ? 1.2 : 1);
      const at = t + Math.floor(this.context.draw.uniform() * Math.max(1, monthEnd - t));
      const signals = this.month(at, intensity, warning);
      if (!isCustomer && !this.pendingDeal && this.stage < OPPORTUNITY && t >= this.quietUntil) this.maybeAdvance(at, signals);
      else if (isCustomer && this.nextRenewal <= monthEnd && this.nextRenewal < this.churnAt) this.renew();
    }
    if (this.pendingDeal && this.pendingDeal.closeAt <= last) this.closeDeal();
    this.dealOpenings.sort((a, b) => a - b).forEach((at, i) => record(contact, 'num_associated_deals', String(i + 1), at, 'CALCULATED'));
    inTimeOrder(contact);
    portal.insert('contacts', contact);
  }

  private describe(title: string, source: string): void {
    const { contact, company } = this;
    const { draw } = this.context;
    const at = contact.createdAt;
    const first = draw.pick(firstNames);
    const companyValue = (name: string) => company.object.props.get(name)![0].value;
    const identity = (name: string, value: string) => record(contact, name, value, at, 'FORM');
    identity('firstname', first);
    identity('lastname', draw.pick(lastNames));
    identity('email', `${first.toLowerCase()}.${contact.id}@${companyValue('domain')}`);
    identity('jobtitle', title);
    identity('company', companyValue('name'));
    identity('country', companyValue('country'));
    identity('city', companyValue('city'));
    record(contact, 'industry', companyValue('industry'), at, 'CRM_UI', OWNER);
    record(contact, 'associatedcompanyid', String(company.object.id), at, 'CALCULATED');
    record(contact, 'hs_analytics_source', source, at, 'ANALYTICS');
    record(contact, 'hs_analytics_source_data_1', sourceDetail[source] ?? 'other', at, 'ANALYTICS');
    link(contact, 'companies', company.object.id);
    link(company.object, 'contacts', contact.id);
    company.events.push({ at, kind: 'contact' });
  }

  private setStage(index: number, at: number): void {
    const name = funnel[index];
    record(this.contact, 'lifecyclestage', name, at, stageSource[name] ?? 'CRM_UI', OWNER);
    record(this.contact, `hs_lifecyclestage_${name}_date`, new Date(at).toISOString(), at, 'CALCULATED');
    const status = leadStatus[name];
    if (status) record(this.contact, 'hs_lead_status', status, at, 'CRM_UI', OWNER);
  }

  /** One month of visits, emails, forms and sales touches, recorded at `at`. */
  private month(at: number, intensity: number, warning: boolean): MonthSignals {
    const iso = new Date(at).toISOString();
    return { views: this.visits(at, iso, intensity), clicks: this.emails(at, iso, intensity, warning), forms: this.forms(at, iso, intensity), replied: this.salesTouches(at, iso, warning) };
  }

  private visits(at: number, iso: string, intensity: number): number {
    const { contact, tally } = this;
    const { draw } = this.context;
    const views = draw.poisson(3 * intensity);
    if (views === 0) return 0;
    if (tally.views === 0) record(contact, 'hs_analytics_first_visit_timestamp', iso, at, 'ANALYTICS');
    tally.views += views;
    tally.visits += Math.max(1, Math.round(views / 3));
    record(contact, 'hs_analytics_num_page_views', String(tally.views), at, 'ANALYTICS');
    record(contact, 'hs_analytics_num_visits', String(tally.visits), at, 'ANALYTICS');
    record(contact, 'hs_analytics_last_visit_timestamp', iso, at, 'ANALYTICS');
    const done = draw.poisson(0.3 * views);
    if (done > 0) record(contact, 'hs_analytics_num_event_completions', String((tally.eventsDone += done)), at, 'ANALYTICS');
    return views;
  }

  /** Marketing emails sent, opened and clicked; unsubscribes, more of them before a churn. Returns the clicks. */
  private emails(at: number, iso: string, intensity: number, warning: boolean): number {
    const { contact, tally } = this;
    const { draw } = this.context;
    if (this.optedOut) return 0;
    const sent = 2 + draw.poisson(1.5);
    tally.delivered += sent;
    record(contact, 'hs_email_delivered', String(tally.delivered), at, 'EMAIL');
    record(contact, 'hs_email_last_send_date', iso, at, 'EMAIL');
    const opens = Math.min(sent, draw.poisson(sent * 0.3 * Math.min(2, intensity)));
    const clicks = Math.min(opens, draw.poisson(opens * 0.25 * Math.min(2, intensity)));
    if (opens > 0) {
      record(contact, 'hs_email_open', String((tally.opens += opens)), at, 'EMAIL');
      record(contact, 'hs_email_last_open_date', iso, at, 'EMAIL');
    }
    if (clicks > 0) {
      record(contact, 'hs_email_click', String((tally.clicks += clicks)), at, 'EMAIL');
      record(contact, 'hs_email_last_click_date', iso, at, 'EMAIL');
    }
    if (draw.chance(0.01)) record(contact, 'hs_email_bounce', String((tally.bounces += 1)), at, 'EMAIL');
    if (draw.chance(warning ? 0.06 : 0.004)) {
      this.optedOut = true;
      record(contact, 'hs_email_optout', 'true', at, 'EMAIL');
    }
    return clicks;
  }

  private forms(at: number, iso: string, intensity: number): number {
    const { contact, tally } = this;
    const { draw } = this.context;
    const forms = draw.poisson(0.2 * intensity);
    if (forms === 0) return 0;
    if (tally.forms === 0) record(contact, 'first_conversion_date', iso, at, 'FORM');
    const form = draw.pick(formNames);
    tally.uniqueForms.add(form);
    record(contact, 'num_conversion_events', String((tally.forms += forms)), at, 'FORM');
    record(contact, 'num_unique_conversion_events', String(tally.uniqueForms.size), at, 'FORM');
    record(contact, 'recent_conversion_date', iso, at, 'FORM');
    record(contact, 'recent_conversion_event_name', form, at, 'FORM');
    return forms;
  }

  /** Sales works the qualified leads; the interested ones reply. Returns whether this one did. */
  private salesTouches(at: number, iso: string, warning: boolean): boolean {
    const { contact, tally } = this;
    const { draw } = this.context;
    if (this.stage < MQL) return false;
    const touches = draw.poisson(this.stage >= SQL ? 1.6 : 0.8);
    if (touches === 0) return false;
    record(contact, 'num_contacted_notes', String((tally.touches += touches)), at, 'SALES');
    record(contact, 'notes_last_contacted', iso, at, 'SALES');
    record(contact, 'hs_last_sales_activity_timestamp', iso, at, 'SALES');
    const replied = draw.chance(sigmoid(this.interest - 0.8) * (warning ? 0.2 : 1));
    if (replied) record(contact, 'hs_sales_email_last_replied', iso, at, 'SALES');
    return replied;
  }

  /** The next stage, with a chance that rises with the month's engagement; an opportunity opens a deal. */
  private maybeAdvance(at: number, { views, forms, clicks, replied }: MonthSignals): void {
    const { draw, last } = this.context;
    const engagement = 0.7 * Math.log1p(views) + 0.9 * forms + 0.5 * clicks + 0.6 * (replied ? 1 : 0) + 0.8 * this.company.fit + 0.5 * this.seniority;
    if (!draw.chance(sigmoid(-2.8 + engagement))) return;
    this.stage += 1;
    const stageAt = Math.min(last, at + DAY);
    this.setStage(this.stage, stageAt);
    if (this.stage !== OPPORTUNITY) return;
    const won = draw.chance(sigmoid(-0.3 + this.company.fit + 0.5 * this.interest));
    const closeAt = stageAt + Math.floor((14 + draw.uniform() * 60) * DAY);
    this.dealOpenings.push(stageAt);
    addDeal(this.context, this.contact, this.company, { openAt: stageAt, closeAt, won, dealtype: 'newbusiness' });
    this.pendingDeal = { closeAt: closeAt <= last ? closeAt : Number.POSITIVE_INFINITY, won };
  }

  /** The open deal closes: a customer (who may later churn), or back to SQL for a while. */
  private closeDeal(): void {
    const { draw, counts } = this.context;
    const { closeAt, won } = this.pendingDeal!;
    this.pendingDeal = undefined;
    if (won) {
      this.stage = CUSTOMER;
      this.customerSince = closeAt;
      counts.customers += 1;
      this.company.events.push({ at: closeAt, kind: 'customer' });
      this.nextRenewal = closeAt + 12 * MONTH;
      // Less engaged customers at weaker-fit companies are likelier to leave.
      if (draw.chance(sigmoid(1.8 - 0.6 * this.interest - 0.8 * this.company.fit))) this.churnAt = closeAt + Math.floor((2 + draw.uniform() * 8) * MONTH);
    } else {
      this.stage = SQL;
      this.quietUntil = closeAt + Math.floor((2 + 4 * draw.uniform()) * MONTH);
      record(this.contact, 'hs_lead_status', draw.chance(0.5) ? 'BAD_TIMING' : 'UNQUALIFIED', closeAt, 'CRM_UI', OWNER);
    }
    this.setStage(this.stage, closeAt);
  }

  private renew(): void {
    const renewal = this.nextRenewal;
    this.dealOpenings.push(renewal - 30 * DAY);
    addDeal(this.context, this.contact, this.company, { openAt: renewal - 30 * DAY, closeAt: renewal, won: true, dealtype: 'existingbusiness' });
    this.nextRenewal += 12 * MONTH;
  }

  /** The customer leaves: the renewal is lost and the lifecycle leaves customer. */
  private churn(leftAt: number): void {
    this.dealOpenings.push(leftAt - 30 * DAY);
    addDeal(this.context, this.contact, this.company, { openAt: leftAt - 30 * DAY, closeAt: leftAt, won: false, dealtype: 'existingbusiness' });
    record(this.contact, 'lifecyclestage', 'other', leftAt, 'CRM_UI', OWNER);
    record(this.contact, 'hs_lifecyclestage_other_date', new Date(leftAt).toISOString(), leftAt, 'CALCULATED');
    this.company.events.push({ at: leftAt, kind: 'churned' });
  }
}
