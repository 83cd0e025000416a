/**
 * The pages a person sees: the landing page (install), and each portal's page (its status, for the
 * people who installed it). Plain server-rendered HTML, no script, nothing from a CDN.
 */
import { Router } from 'express';
import type { LocalSandbox } from '../sandbox/local-sandbox.ts';
import { oauthStateSecret, type Services } from '../services.ts';
import { describePace } from '../sync/sync-progress.ts';
import { escapeHtml } from './problem-page.ts';
import { portalsInCookie, requirePortalAccess } from './portal-access.ts';
import { portalStatus, type PortalStatus } from './portal-status.ts';
import { loadPortalSettings } from '../settings/portal-settings.ts';
import { csrfToken, renderSettingsForm } from './settings-routes.ts';
import { sandboxRoutes } from './sandbox-routes.ts';

const style = `body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#213343}
a.button{display:inline-block;background:#ff7a59;color:#fff;padding:.7rem 1.3rem;border-radius:4px;text-decoration:none;font-weight:600}
table{border-collapse:collapse;width:100%}td,th{padding:.4rem .6rem;border-bottom:1px solid #e5eaf0;text-align:left}
.bar{background:#e5eaf0;border-radius:3px;height:.8rem;width:14rem}.bar>div{background:#00bda5;height:100%;border-radius:3px}
.muted{color:#7c98b6}`;

function page(title: string, body: string, refreshSeconds?: number): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · Propensity</title>
${refreshSeconds ? `<meta http-equiv="refresh" content="${refreshSeconds}">` : ''}<style>${style}</style></head><body>${body}</body></html>`;
}

export function pageRoutes(services: Services, localSandbox?: LocalSandbox): Router {
  const router = Router();
  const secret = oauthStateSecret(services.keyring);

  router.get('/', (req, res) => {
    const installed = portalsInCookie(req, secret);
    res.type('html').send(page('AI lead scoring for HubSpot', `<h1>Propensity</h1>
<p>AI lead scoring and churn prediction for HubSpot: learns from your CRM history and writes a score, its reasons and an enrolment decision onto every contact and company, for your workflows to act on.</p>
${localSandbox ? `<p class="muted">Running on the local HubSpot sandbox (no HubSpot account needed): a demo portal with generated CRM history is waiting at ${escapeHtml(localSandbox.sandbox.url)}. After the install, <a href="/sandbox" id="sandbox-view">the demo portal's contacts</a> show the scores Propensity writes.</p>` : ''}
<p><a class="button" href="/oauth/install" id="install">Install Propensity${localSandbox ? ' into the demo portal' : ' in HubSpot'}</a></p>
${installed.length > 0 ? `<h2>Your portals</h2><ul>${installed.map((id) => `<li><a href="/portals/${id}">Portal ${id}</a></li>`).join('')}</ul>` : ''}`));
  });

  router.get('/portals/:portalId', requirePortalAccess(secret), async (req, res) => {
    const status = await portalStatus(services.connection, res.locals.portalId);
    if (!status) {
      res.status(404).type('html').send(page('Not installed', '<h1>This portal has not installed Propensity</h1>'));
      return;
    }
    const syncing = status.sync.some((s) => s.status !== 'done');
    const settings = renderSettingsForm(status.portalId, await loadPortalSettings(services.connection, status.portalId), csrfToken(secret, status.portalId, req));
    const saved = req.query.saved === '1' ? '<p id="saved" role="status">Settings saved.</p>' : '';
    // No auto-refresh while someone could be typing in the settings form: only during the first sync.
    res.type('html').send(page(`Portal ${status.portalId}`, saved + renderStatus(status) + settings, syncing ? 3 : undefined));
  });

  if (localSandbox) router.use(sandboxRoutes(localSandbox, secret, (title, body) => page(title, body, 5)));

  router.get('/api/portals/:portalId/status', requirePortalAccess(secret), async (_req, res) => {
    const status = await portalStatus(services.connection, res.locals.portalId);
    if (!status) {
      res.status(404).json({ status: 'error', message: 'This portal has not installed Propensity' });
      return;
    }
    res.json(status);
  });

  return router;
}

function renderStatus(status: PortalStatus): string {
  const rows = status.sync
    .map((s) => `<tr><td>${escapeHtml(s.objectType)}</td><td><div class="bar" role="progressbar" aria-valuenow="${s.percent}"><div style="width:${s.percent}%"></div></div></td>
<td>${s.done.toLocaleString('en-US')}${s.total !== null ? ` / ${s.total.toLocaleString('en-US')}` : ''}</td><td>${escapeHtml(s.status)}${s.status === 'running' ? ` · <span class="pace">${escapeHtml(describePace(s))}</span>` : ''}</td></tr>`)
    .join('');
  return `<p><a href="/">Propensity</a></p><h1>${escapeHtml(status.hubDomain ?? `Portal ${status.portalId}`)}</h1>
<p>Portal ${status.portalId} · ${escapeHtml(status.status)}${status.installedAt ? ` since ${status.installedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC` : ''}</p>${status.needsReauthorisation ? '\n<p id="reauthorise" role="alert"><strong>HubSpot no longer accepts Propensity\'s access to this portal. <a href="/oauth/install">Install again</a> to re-authorise it.</strong></p>' : ''}
<h2>CRM history sync</h2><table id="sync"><tr><th>Object</th><th>Progress</th><th>Records</th><th>Status</th></tr>${rows}</table>
<h2>Webhooks</h2><p id="webhooks">${status.webhooks.pending} waiting · ${status.webhooks.done} processed · ${status.webhooks.dropped} dropped (the app's own writes) · <strong>${status.webhooks.dead} failed for good</strong></p>
<h2>Work queue</h2><p id="jobs">${status.jobs.queued} queued · ${status.jobs.running} running · ${status.jobs.dead} failed for good</p>
${renderPropertyProblems(status.propertyProblems)}${renderScoring(status.scoring)}`;
}

function renderPropertyProblems(problems: PortalStatus['propertyProblems']): string {
  if (problems.length === 0) return '';
  return `<div id="property-problems" role="alert"><h2>Properties to fix in HubSpot</h2><p>Propensity cannot write these until they are deleted or renamed in HubSpot (Settings → Properties); it creates them again with the right type on its next start:</p>
<ul>${problems.map((p) => `<li><code>${escapeHtml(p.objectType)}.${escapeHtml(p.name)}</code>: ${escapeHtml(p.problem)}</li>`).join('')}</ul></div>`;
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

function renderScoring(s: PortalStatus['scoring']): string {
  const models = s.models.length === 0
    ? '<p class="muted">No model yet: the first one is trained when the history sync finishes.</p>'
    : `<table id="models"><tr><th>Model</th><th>Status</th><th>Holdout AUC</th><th>Trained</th><th>Decision</th></tr>${s.models
      .map((m) => `<tr><td>${escapeHtml(m.version)}${m.kind === 'rules' ? ' <span class="muted">(rule model: too little history to learn yet)</span>' : ''}</td><td>${escapeHtml(m.status)}</td>
<td>${m.holdoutAuc === null ? '–' : m.holdoutAuc.toFixed(3)}</td><td>${m.trainedAt.toISOString().slice(0, 16).replace('T', ' ')}</td><td>${escapeHtml(m.reason ?? '')}</td></tr>`)
      .join('')}</table>`;
  const enrolments = Object.entries(s.enrolments).map(([k, n]) => `${escapeHtml(k)}: ${n.toLocaleString('en-US')}`).join(' · ');
  const errors = s.writeErrors.length === 0 ? '' : `<p><strong>HubSpot refused some writes:</strong></p><ul>${s.writeErrors.map((e) => `<li>contact ${escapeHtml(e.objectId)}: ${escapeHtml(e.error)}</li>`).join('')}</ul>`;
  const uplift = s.uplift
    .map((u) => `<tr><td>${escapeHtml(u.enrolment)}</td><td>${u.enrolled} / ${u.control}</td><td>${u.result ? `${pct(u.result.enrolledRate)} vs ${pct(u.result.controlRate)} ${escapeHtml(u.outcome)}` : '–'}</td>
<td>${u.result ? `${u.result.difference >= 0 ? '+' : ''}${pct(u.result.difference)} (95 % CI ${pct(u.result.low)} to ${pct(u.result.high)})` : 'not enough records yet'}</td></tr>`)
    .join('');
  return `<h2>Models</h2>${models}
<h2>Scores</h2><p id="scores">${s.scored.toLocaleString('en-US')} contacts scored · ${enrolments || 'no decisions yet'} · ${s.writePending} waiting to be written to HubSpot</p>${errors}
<h2>Control group</h2><table id="uplift"><tr><th>Enrolment</th><th>Enrolled / control</th><th>Outcome rates</th><th>Uplift</th></tr>${uplift}</table>`;
}
