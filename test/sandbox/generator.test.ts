import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { GENERATOR_ANCHOR, generatePortal } from '../../src/sandbox/history/generate-portal.ts';
import { SandboxPortal, sandboxObjectTypes, type HistoryEntry, type SandboxObject } from '../../src/sandbox/sandbox-store.ts';

const DAY = 86_400_000;
const anchor = GENERATOR_ANCHOR.getTime();

function generated(seed: number, contacts: number, portalId = 77) {
  const portal = new SandboxPortal(portalId, 'generated.example');
  const summary = generatePortal(portal, { contacts, seed });
  return { portal, summary };
}

function digest(portal: SandboxPortal): string {
  const hash = createHash('sha256');
  for (const type of sandboxObjectTypes) {
    for (const id of portal.ids(type)) {
      const o = portal.objects[type].get(id)!;
      hash.update(JSON.stringify([type, o.id, o.createdAt, o.updatedAt, [...o.props], [...o.assoc].map(([k, v]) => [k, [...v]])]));
    }
  }
  return hash.digest('hex');
}

/** The value a property had at `time` (history oldest first), as a number (0 when unset). */
function valueAt(history: HistoryEntry[] | undefined, time: number): number {
  let value = 0;
  for (const entry of history ?? []) {
    if (entry.timestamp > time) break;
    value = Number(entry.value);
  }
  return value;
}

const stageHistory = (c: SandboxObject) => (c.props.get('lifecyclestage') ?? []).map((e) => e.value);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

test('the same seed gives the same portal, byte for byte; another seed does not', () => {
  const a = generated(11, 1_500);
  const b = generated(11, 1_500);
  assert.equal(digest(a.portal), digest(b.portal));
  assert.deepEqual(a.summary, b.summary);
  assert.notEqual(digest(generated(12, 1_500).portal), digest(a.portal));
});

const { portal, summary } = generated(21, 4_000, 21);
const contacts = [...portal.objects.contacts.values()];

test('a B2B funnel: fewer contacts reach each stage; a known share becomes customers and some of them churn', () => {
  assert.equal(summary.contacts, 4_000);
  assert.equal(summary.companies, 1_000);
  const reached = (stage: string) => contacts.filter((c) => stageHistory(c).includes(stage)).length;
  const funnel = ['marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer'].map(reached);
  for (let i = 1; i < funnel.length; i++) assert.ok(funnel[i] < funnel[i - 1], `funnel narrows: ${funnel.join(' > ')}`);
  assert.equal(funnel[3], summary.customers);
  const share = summary.customers / summary.contacts;
  assert.ok(share > 0.04 && share < 0.25, `customers: ${(share * 100).toFixed(1)} %`);
  assert.ok(summary.churned > 0.1 * summary.customers && summary.churned < 0.6 * summary.customers, `churned ${summary.churned} of ${summary.customers}`);
  const left = contacts.filter((c) => stageHistory(c).at(-1) === 'other' && stageHistory(c).includes('customer'));
  assert.equal(left.length, summary.churned, 'a churned customer leaves the customer stage');
  for (const c of left) {
    const renewals = [...c.assoc.get('deals')!].map((id) => portal.objects.deals.get(id)!).filter((d) => d.props.get('dealtype')!.at(-1)!.value === 'existingbusiness');
    assert.equal(renewals.at(-1)!.props.get('dealstage')!.at(-1)!.value, 'closedlost', 'and loses its renewal deal');
  }
});

test('conversion depends on observable signals: early engagement and source', () => {
  const old = contacts.filter((c) => c.createdAt < anchor - 365 * DAY);
  const converted = (c: SandboxObject) => stageHistory(c).includes('customer');
  const early = (c: SandboxObject) => valueAt(c.props.get('hs_analytics_num_page_views'), c.createdAt + 90 * DAY) + 5 * valueAt(c.props.get('num_conversion_events'), c.createdAt + 90 * DAY);
  const yes = old.filter(converted).map(early);
  const no = old.filter((c) => !converted(c)).map(early);
  assert.ok(mean(yes) > 2 * mean(no), `early engagement of converters ${mean(yes).toFixed(1)} vs others ${mean(no).toFixed(1)}`);
  const rate = (source: string) => {
    const group = contacts.filter((c) => c.props.get('hs_analytics_source')![0].value === source);
    return group.filter(converted).length / group.length;
  };
  assert.ok(rate('REFERRALS') > rate('PAID_SOCIAL'), `referrals ${rate('REFERRALS').toFixed(3)} vs paid social ${rate('PAID_SOCIAL').toFixed(3)}`);
});

test('churn has warning signs: less activity in the months before a customer leaves than retained customers show', () => {
  const customers = contacts.filter((c) => stageHistory(c).includes('customer'));
  const leftAt = (c: SandboxObject) => c.props.get('lifecyclestage')!.findLast((e) => e.value === 'other')?.timestamp;
  const activityBefore = (c: SandboxObject, time: number) => {
    const views = c.props.get('hs_analytics_num_page_views');
    return valueAt(views, time) - valueAt(views, time - 90 * DAY);
  };
  const churned = customers.filter((c) => leftAt(c) !== undefined).map((c) => activityBefore(c, leftAt(c)!));
  const retained = customers.filter((c) => leftAt(c) === undefined && c.props.get('lifecyclestage')!.find((e) => e.value === 'customer')!.timestamp < anchor - 180 * DAY).map((c) => activityBefore(c, anchor));
  assert.ok(churned.length > 20 && retained.length > 20);
  assert.ok(mean(churned) < 0.5 * mean(retained), `page views in the last 90 days: churned ${mean(churned).toFixed(1)} vs retained ${mean(retained).toFixed(1)}`);
});

test('every history is in time order, within the object\'s life and before the portal\'s "today"; deals and companies agree', () => {
  for (const type of sandboxObjectTypes) {
    for (const o of portal.objects[type].values()) {
      for (const [name, history] of o.props) {
        for (let i = 0; i < history.length; i++) {
          assert.ok(history[i].timestamp >= o.createdAt && history[i].timestamp < anchor, `${type} ${o.id} ${name}`);
          if (i > 0) assert.ok(history[i].timestamp >= history[i - 1].timestamp, `${type} ${o.id} ${name} in order`);
        }
      }
      assert.ok(o.updatedAt >= o.createdAt && o.updatedAt < anchor);
    }
  }
  for (const deal of portal.objects.deals.values()) {
    const stage = deal.props.get('dealstage')!.at(-1)!.value;
    const closed = deal.props.get('hs_is_closed')!.at(-1)!.value === 'true';
    assert.equal(closed, stage === 'closedwon' || stage === 'closedlost');
    assert.equal(deal.props.get('hs_is_closed_won')!.at(-1)!.value === 'true', stage === 'closedwon');
  }
  for (const company of [...portal.objects.companies.values()].slice(0, 200)) {
    const won = [...(company.assoc.get('deals') ?? [])].map((id) => portal.objects.deals.get(id)!).filter((d) => d.props.get('dealstage')!.at(-1)!.value === 'closedwon');
    assert.equal(Number(company.props.get('total_revenue')?.at(-1)?.value ?? 0), won.reduce((sum, d) => sum + Number(d.props.get('amount')![0].value), 0));
    assert.equal(Number(company.props.get('num_associated_contacts')!.at(-1)!.value), company.assoc.get('contacts')?.size ?? 0);
  }
});
