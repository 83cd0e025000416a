/**
 * Only with the local sandbox (`npm start` without HubSpot credentials): a view of the demo portal's
 * contacts with the properties Propensity wrote, and a "simulate activity" button that makes some
 * contacts visit pages, open emails and submit a form, so the webhook → re-score → write-back loop can
 * be watched live. The button's form carries a token, like every form that changes something.
 * Both are the demo portal's data: only a browser signed in to that portal sees or uses them.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import express, { Router } from 'express';
import type { LocalSandbox } from '../sandbox/local-sandbox.ts';
import { currentValue } from '../sandbox/sandbox-store.ts';
import { requirePortalAccess } from './portal-access.ts';
import { escapeHtml } from './problem-page.ts';

const shown = ['lifecyclestage', 'propensity_lead_score', 'propensity_lead_tier', 'propensity_churn_risk', 'propensity_enrolment', 'propensity_enrolment_reason', 'propensity_lead_reasons', 'propensity_scored_at'];

export function sandboxRoutes(local: LocalSandbox, secret: Buffer, page: (title: string, body: string) => string): Router {
  const router = Router();
  const token = createHmac('sha256', secret).update('sandbox-simulate').digest('base64url');

  const demoPortalOnly = requirePortalAccess(() => local.portalId);
  router.get('/sandbox', demoPortalOnly, (req, res) => {
    const portal = local.sandbox.state.portals.get(local.portalId)!;
    const contacts = [...portal.objects.contacts.values()].filter((c) => !c.archived);
    const recent = contacts
      .filter((c) => (currentValue('contacts', c, 'propensity_scored_at') ?? '') !== '')
      .sort((a, b) => (currentValue('contacts', b, 'propensity_scored_at') ?? '').localeCompare(currentValue('contacts', a, 'propensity_scored_at') ?? ''))
      .slice(0, 50);
    const simulated = typeof req.query.simulated === 'string' ? `<p id="simulated" role="status">Simulated activity for contacts ${escapeHtml(req.query.simulated)}: watch their scores change below within seconds.</p>` : '';
    const rows = recent.map((c) => `<tr><td>${c.id}</td>${shown.map((name) => `<td>${escapeHtml(currentValue('contacts', c, name) ?? '')}</td>`).join('')}</tr>`).join('');
    res.type('html').send(page('Demo portal', `<p><a href="/">Propensity</a> · <a href="/portals/${local.portalId}">Portal ${local.portalId}</a></p>
<h1>Demo portal in the local HubSpot sandbox</h1>
<p>${contacts.length.toLocaleString('en-US')} contacts; the ${recent.length} scored most recently, with what Propensity wrote on them:</p>
<form method="post" action="/sandbox/simulate"><input type="hidden" name="token" value="${token}"><button type="submit" id="simulate">Simulate activity</button> <span class="muted">(5 contacts visit pages, open emails and submit a form)</span></form>${simulated}
<table id="contacts"><tr><th>id</th>${shown.map((n) => `<th>${escapeHtml(n)}</th>`).join('')}</tr>${rows}</table>`));
  });

  router.post('/sandbox/simulate', demoPortalOnly, express.urlencoded({ extended: false, limit: '4kb' }), (req, res) => {
    const given = Buffer.from(String((req.body as Record<string, unknown> | undefined)?.token ?? ''));
    const expected = Buffer.from(token);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      res.status(403).json({ status: 'error', message: 'Reload the page and try again' });
      return;
    }
    const portal = local.sandbox.state.portals.get(local.portalId)!;
    const leads = [...portal.objects.contacts.values()].filter((c) => !c.archived && currentValue('contacts', c, 'lifecyclestage') === 'lead' && currentValue('contacts', c, 'hs_email_optout') !== 'true');
    const chosen = Array.from({ length: Math.min(5, leads.length) }, () => leads[Math.floor(Math.random() * leads.length)].id);
    for (const contactId of new Set(chosen)) {
      local.sandbox.simulate(local.portalId, { type: 'pageView', contactId, count: 25 });
      local.sandbox.simulate(local.portalId, { type: 'emailOpen', contactId, count: 4 });
      local.sandbox.simulate(local.portalId, { type: 'formSubmission', contactId });
    }
    res.redirect(303, `/sandbox?simulated=${[...new Set(chosen)].join(',')}`);
  });
  return router;
}
