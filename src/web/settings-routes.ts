/**
 * A portal's settings, edited on its page: what counts as a conversion and as churn, and the
 * decision thresholds. The form posts with a CSRF token bound to the portal and to the browser's
 * access cookie; a change that does not validate is refused whole with the reasons (400), nothing
 * saved. A saved change takes effect at once: new decision thresholds rescore every contact, a new
 * definition of the outcomes retrains the models.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import express, { Router, type Request } from 'express';
import { queueScoring, queueTraining } from '../pipeline/job-handlers.ts';
import { oauthStateSecret, type Services } from '../services.ts';
import { loadPortalSettings, savePortalSettings, SettingsError, type PortalSettings } from '../settings/portal-settings.ts';
import { escapeHtml } from './problem-page.ts';
import { requirePortalAccess } from './portal-access.ts';

/** The token a page of this session puts in its forms (and its script sends as `x-csrf-token`). */
export function csrfToken(secret: Buffer, portalId: number, req: Request): string {
  return createHmac('sha256', secret).update(`csrf:${portalId}:${req.sessionID ?? ''}`).digest('base64url');
}

export function validCsrf(secret: Buffer, portalId: number, req: Request, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const expected = Buffer.from(csrfToken(secret, portalId, req));
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

const number = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? Number(value) : undefined);

/** The form's fields as a settings change (unset fields keep their value). */
export function settingsChangeFromForm(form: Record<string, unknown>): unknown {
  const decisions = {
    salesFastTrack: number(form.salesFastTrack),
    marketingNurture: number(form.marketingNurture),
    retentionPlaybook: number(form.retentionPlaybook),
    hysteresis: number(form.hysteresis),
    controlShare: number(form.controlShare),
  };
  const labels: Record<string, unknown> = { horizonDays: number(form.horizonDays), minPositives: number(form.minPositives) };
  if (typeof form.leadOutcome === 'string') labels.lead = form.leadOutcome === 'closed-won-deal' ? { kind: 'closed-won-deal' } : { kind: 'lifecycle', stage: form.leadOutcome };
  if (typeof form.churnOutcome === 'string') labels.churn = { kind: form.churnOutcome };
  const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  return { decisions: defined(decisions), labels: defined(labels) };
}

export function renderSettingsForm(portalId: number, settings: PortalSettings, token: string, problems: string[] = []): string {
  const { decisions: d, labels: l } = settings;
  const field = (name: string, label: string, value: number, step: string, hint: string) =>
    `<label>${escapeHtml(label)} <input name="${name}" type="number" step="${step}" value="${value}" required> <span class="muted">${escapeHtml(hint)}</span></label><br>`;
  const leadValue = l.lead.kind === 'lifecycle' ? l.lead.stage : 'closed-won-deal';
  const option = (value: string, label: string, current: string) => `<option value="${value}"${value === current ? ' selected' : ''}>${escapeHtml(label)}</option>`;
  return `<h2>Settings</h2>${problems.length > 0 ? `<div id="settings-problems" role="alert"><strong>Not saved:</strong><ul>${problems.map((p) => `<li>${escapeHtml(p)}</li>`).join('')}</ul></div>` : ''}
<form method="post" action="/portals/${portalId}/settings" id="settings">
<input type="hidden" name="csrf" value="${escapeHtml(token)}">
${field('salesFastTrack', 'Sales fast track at', d.salesFastTrack, '0.01', 'conversion probability (0–1)')}
${field('marketingNurture', 'Marketing nurture at', d.marketingNurture, '0.01', 'conversion probability, below the sales threshold')}
${field('retentionPlaybook', 'Retention playbook at', d.retentionPlaybook, '0.01', 'churn probability (0–1)')}
${field('hysteresis', 'Hysteresis', d.hysteresis, '0.01', 'a record keeps its decision until its probability leaves the threshold by this much (0–0.2)')}
${field('controlShare', 'Control group share', d.controlShare, '0.01', 'of qualifying records held out to measure the uplift (0–0.5)')}
${field('horizonDays', 'Horizon (days)', l.horizonDays, '1', 'how far ahead conversions and churn are predicted (7–365)')}
${field('minPositives', 'Outcomes needed to learn', l.minPositives, '1', 'below this the transparent rule model scores')}
<label>A conversion is <select name="leadOutcome">${option('customer', 'becoming a customer', leadValue)}${option('opportunity', 'becoming an opportunity', leadValue)}${option('salesqualifiedlead', 'becoming a sales-qualified lead', leadValue)}${option('marketingqualifiedlead', 'becoming a marketing-qualified lead', leadValue)}${option('closed-won-deal', 'a closed-won deal', leadValue)}</select></label><br>
<label>Churn is <select name="churnOutcome">${option('leaves-customer', 'leaving the customer stage (or losing a renewal)', l.churn.kind)}${option('no-new-won-deal', 'no new closed-won deal within the horizon', l.churn.kind)}</select></label><br>
<button type="submit" class="button" id="save-settings">Save settings</button></form>`;
}

export function settingsRoutes(services: Services): Router {
  const router = Router();
  const secret = oauthStateSecret(services.keyring);
  router.post('/portals/:portalId/settings', requirePortalAccess(), express.urlencoded({ extended: false, limit: '16kb' }), async (req, res) => {
    const portalId: number = res.locals.portalId;
    const form = (req.body ?? {}) as Record<string, unknown>;
    if (!validCsrf(secret, portalId, req, form.csrf)) {
      res.status(403).json({ status: 'error', message: 'The form has expired or did not come from this page; reload the page and try again' });
      return;
    }
    const before = await loadPortalSettings(services.connection, portalId);
    try {
      const after = await savePortalSettings(services.connection, portalId, settingsChangeFromForm(form));
      if (JSON.stringify(after.labels) !== JSON.stringify(before.labels)) await queueTraining(services.connection, portalId, 'settings changed');
      else if (JSON.stringify(after.decisions) !== JSON.stringify(before.decisions)) await queueScoring(services.connection, portalId, 'all');
      res.redirect(303, `/portals/${portalId}?saved=1`);
    } catch (error) {
      if (!(error instanceof SettingsError)) throw error;
      res.status(400).type('html').send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Settings not saved · Propensity</title></head><body><p><a href="/portals/${portalId}">Back to the portal</a></p>${renderSettingsForm(portalId, before, csrfToken(secret, portalId, req), error.problems)}</body></html>`);
    }
  });
  return router;
}
