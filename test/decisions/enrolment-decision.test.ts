import assert from 'node:assert/strict';
import { test } from 'node:test';
import { controlDraw } from '../../src/decisions/control-group.ts';
import { decisionSettingsSchema, defaultDecisionSettings } from '../../src/decisions/decision-settings.ts';
import { decideEnrolment, type Enrolment, type RecordForDecision } from '../../src/decisions/enrolment-decision.ts';
import { conclude, isDoNotContact } from '../../src/scoring/conclude.ts';

const settings = { ...defaultDecisionSettings, controlShare: 0 };
const lead = (leadProbability: number, previous?: Enrolment): RecordForDecision => ({
  recordKey: 'p:contacts:1', isCustomer: false, doNotContact: false, leadProbability, churnProbability: undefined, previous,
});

test('lead thresholds: fast track, nurture, none', () => {
  assert.equal(decideEnrolment(lead(0.7), settings).enrolment, 'sales_fast_track');
  assert.equal(decideEnrolment(lead(0.3), settings).enrolment, 'marketing_nurture');
  assert.equal(decideEnrolment(lead(0.05), settings).enrolment, 'none');
});

test('a record oscillating ±1 point around a threshold keeps its decision (hysteresis)', () => {
  let previous: Enrolment | undefined;
  const seen = new Set<Enrolment>();
  for (let i = 0; i < 50; i++) {
    const p = settings.salesFastTrack + (i % 2 === 0 ? 0.01 : -0.01);
    previous = decideEnrolment(lead(p, previous), settings).enrolment;
    seen.add(previous);
  }
  assert.deepEqual([...seen], ['sales_fast_track']);
  // Without the memory of the previous decision it would flap: the test can fail.
  assert.equal(decideEnrolment(lead(settings.salesFastTrack - 0.01), settings).enrolment, 'marketing_nurture');
  // Leaving the band does change the decision.
  assert.equal(decideEnrolment(lead(settings.salesFastTrack - settings.hysteresis - 0.01, 'sales_fast_track'), settings).enrolment, 'marketing_nurture');
});

test('customers get churn decisions, never lead ones', () => {
  const customer = { ...lead(0.99), isCustomer: true, churnProbability: 0.6 };
  assert.equal(decideEnrolment(customer, settings).enrolment, 'retention_playbook');
  assert.equal(decideEnrolment({ ...customer, churnProbability: 0.1 }, settings).enrolment, 'none');
});

test('an opted-out record is never enrolled', () => {
  for (const p of [0.2, 0.6, 0.99]) {
    const decision = decideEnrolment({ ...lead(p), doNotContact: true }, settings);
    assert.equal(decision.enrolment, 'none');
  }
  assert.equal(decideEnrolment({ ...lead(0.9), isCustomer: true, churnProbability: 0.9, doNotContact: true }, settings).enrolment, 'none');
});

test('control group: within ±2 % of the setting on 10,000 records, and a record\'s group never changes', () => {
  const controlled = { ...defaultDecisionSettings, controlShare: 0.1 };
  let held = 0;
  const first: boolean[] = [];
  for (let i = 0; i < 10_000; i++) {
    const decision = decideEnrolment({ ...lead(0.9), recordKey: `42:contacts:${i}` }, controlled);
    first.push(decision.control);
    if (decision.control) {
      held += 1;
      assert.equal(decision.enrolment, 'none');
      assert.match(decision.reason, /^control group/);
    }
  }
  assert.ok(Math.abs(held / 10_000 - 0.1) <= 0.02, `held-out share ${held / 10_000}`);
  for (let i = 0; i < 10_000; i++) {
    assert.equal(decideEnrolment({ ...lead(0.6), recordKey: `42:contacts:${i}` }, controlled).control, first[i]);
  }
  assert.equal(controlDraw('a'), controlDraw('a'));
  assert.notEqual(controlDraw('a'), controlDraw('b'));
});

test('settings are validated: out of range or inconsistent values are refused with a message', () => {
  assert.equal(decisionSettingsSchema.safeParse(defaultDecisionSettings).success, true);
  const tooHigh = decisionSettingsSchema.safeParse({ ...defaultDecisionSettings, salesFastTrack: 1.5 });
  assert.equal(tooHigh.success, false);
  const inverted = decisionSettingsSchema.safeParse({ ...defaultDecisionSettings, marketingNurture: 0.8 });
  assert.equal(inverted.success, false);
  assert.match(inverted.error!.issues[0].message, /below the sales/);
  assert.equal(decisionSettingsSchema.safeParse({ ...defaultDecisionSettings, $where: 1 }).success, false);
});

// --- targeting by uplift (issue 22) ---
test('targeting by uplift: the action whose expected gain × value beats its cost decides, and the reason says so', () => {
  const byUplift = { ...settings, targetByUplift: true, outcomeValue: 1000, actionCosts: { sales_fast_track: 40, marketing_nurture: 5, retention_playbook: 30 } };
  // A lead the thresholds would send to sales (0.7), but the fast track changes little for it.
  const sure = { ...lead(0.7), expectedGain: { sales_fast_track: 0.01, marketing_nurture: 0.02 } };
  assert.deepEqual(decideEnrolment(sure, byUplift), { enrolment: 'marketing_nurture', reason: 'expected +2 points from the nurture track, worth more than its cost (uplift targeting)', control: false, wouldBe: 'marketing_nurture' });
  assert.equal(decideEnrolment(sure, settings).enrolment, 'sales_fast_track', 'the thresholds would have sent it to sales');
  // A lukewarm lead (0.2) the fast track changes a lot: +6 points × 1000 = 60 > 40.
  const persuadable = { ...lead(0.2), expectedGain: { sales_fast_track: 0.06, marketing_nurture: 0.01 } };
  assert.equal(decideEnrolment(persuadable, byUplift).reason, 'expected +6 points from the fast track, worth more than its cost (uplift targeting)');
  // Nothing pays: no action, and the reason says why.
  const unmoved = { ...lead(0.9), expectedGain: { sales_fast_track: 0.03, marketing_nurture: -0.01 } };
  assert.deepEqual(decideEnrolment(unmoved, byUplift), { enrolment: 'none', reason: 'expected +3 points from the fast track does not cover its cost (uplift targeting)', control: false, wouldBe: 'none' });
  // A customer: the retention playbook by its expected fall in churn.
  const customer: RecordForDecision = { recordKey: 'p:contacts:9', isCustomer: true, doNotContact: false, leadProbability: undefined, churnProbability: 0.1, previous: undefined, expectedGain: { retention_playbook: 0.05 } };
  assert.equal(decideEnrolment(customer, byUplift).enrolment, 'retention_playbook');
});

test('targeting by uplift keeps the control group and the opt-outs, and falls back to the thresholds without an uplift model', () => {
  const byUplift = { ...settings, targetByUplift: true, controlShare: 0.5 };
  const keys = Array.from({ length: 400 }, (_, i) => `p:contacts:${i}`);
  const decisions = keys.map((recordKey) => decideEnrolment({ ...lead(0.2), recordKey, expectedGain: { sales_fast_track: 0.1, marketing_nurture: 0 } }, byUplift));
  const held = decisions.filter((d) => d.control);
  assert.ok(held.length > 150 && held.length < 250);
  for (const d of held) assert.deepEqual([d.enrolment, d.wouldBe, d.reason], ['none', 'sales_fast_track', 'control group (would be sales_fast_track)']);
  assert.equal(keys.filter((k) => controlDraw(k) < 0.5).length, held.length, 'the same records as by the thresholds');
  assert.equal(decideEnrolment({ ...lead(0.2), doNotContact: true, expectedGain: { sales_fast_track: 0.1, marketing_nurture: 0 } }, byUplift).enrolment, 'none');
  // Only the fast track has a model: the thresholds decide.
  assert.equal(decideEnrolment({ ...lead(0.7), expectedGain: { sales_fast_track: 0.001 } }, { ...byUplift, controlShare: 0 }).reason, 'conversion probability 70 % is at or above the sales threshold 50 %');
  assert.equal(decisionSettingsSchema.safeParse({ ...defaultDecisionSettings, outcomeValue: 0 }).success, false);
  assert.equal(decisionSettingsSchema.safeParse({ ...defaultDecisionSettings, actionCosts: { ...defaultDecisionSettings.actionCosts, sales_fast_track: -1 } }).success, false);
  assert.equal(defaultDecisionSettings.targetByUplift, false, 'off until the admin turns it on');
});

test('hs_do_not_contact: such a contact is never enrolled, however likely it is to convert', () => {
  const values = (properties: Record<string, string>) => (name: string) => properties[name];
  assert.equal(isDoNotContact(values({ hs_do_not_contact: 'true' })), true);
  assert.equal(isDoNotContact(values({ hs_do_not_contact: 'false', hs_email_optout: 'false' })), false);
  assert.equal(isDoNotContact(values({})), false);
  for (const target of ['lead', 'churn'] as const) {
    const concluded = conclude({
      portalId: 1, objectType: target === 'lead' ? 'contacts' : 'companies', objectId: '7', target, probability: 0.99, contributions: [], modelVersion: 'm1',
      doNotContact: isDoNotContact(values({ hs_do_not_contact: 'true' })), previous: undefined, settings,
    });
    assert.equal(concluded.enrolment.enrolment, 'none', target);
  }
});
