/**
 * The pages a person sees: the landing page (install, sign in), and each portal's page, for the
 * people signed in to that portal: install and sync status, the models with their charts, the
 * decisions and the control group's uplift, the best send times (heat map and measured lift), the settings with a preview, and the uninstall button.
 * Server-rendered HTML; one script of our own (src/web/assets/portal-page.js) and Chart.js, both
 * served by the app (nothing from a CDN), draw the charts and follow the sync live.
 */
import { Router } from 'express';
import type { LocalSandbox } from '../sandbox/local-sandbox.ts';
import { oauthStateSecret, type Services } from '../services.ts';
import { describePace } from '../sync/sync-progress.ts';
import { escapeHtml } from './problem-page.ts';
import { requirePortalAccess, signedInPortals } from './portal-access.ts';
import { portalStatus, type PortalStatus } from './portal-status.ts';
import { loadPortalSettings } from '../settings/portal-settings.ts';
import { csrfToken, renderSettingsForm } from './settings-routes.ts';
import { sandboxRoutes } from './sandbox-routes.ts';
import { portalModels, type TargetView } from './portal-models.ts';
import { hasSummary, portalSendTimes } from './portal-send-times.ts';
import { renderSendTimes, sendTimesStyle } from './send-times-section.ts';

const style = `body{font-family:system-ui,sans-serif;max-width:64rem;margin:2rem auto;padding:0 1rem;color:#213343}
a.button,button.button{display:inline-block;background:#ff7a59;color:#fff;padding:.7rem 1.3rem;border-radius:4px;border:0;text-decoration:none;font-weight:600;font-size:1rem;cursor:pointer}
button.danger{background:#d94c53}
table{border-collapse:collapse;width:100%}td,th{padding:.4rem .6rem;border-bottom:1px solid #e5eaf0;text-align:left}
.bar{background:#e5eaf0;border-radius:3px;height:.8rem;width:14rem}.bar>div{background:#00bda5;height:100%;border-radius:3px}
.muted{color:#7c98b6}.charts{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:1rem}.chart{position:relative;height:16rem}
.model{border:1px solid #e5eaf0;border-radius:6px;padding:0 1rem 1rem;margin-bottom:1.5rem}#preview li{margin:.2rem 0}
label{display:inline-block;margin:.25rem 0}
${sendTimesStyle}`;

export function page(title: string, body: string, scripts: string[] = [], refreshSeconds?: number): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · Propensity</title>
${refreshSeconds ? `<meta http-equiv="refresh" content="${refreshSeconds}">` : ''}<style>${style}</style>${scripts.map((src) => `<script src="${src}" defer></script>`).join('')}</head><body>${body}</body></html>`;
}

export function pageRoutes(services: Services, localSandbox?: LocalSandbox): Router {
  const router = Router();
  const secret = oauthStateSecret(services.keyring);

  router.get('/', (req, res) => {
    const portals = signedInPortals(req);
    const uninstalled = typeof req.query.uninstalled === 'string' && /^\d{1,15}$/.test(req.query.uninstalled) ? `<p id="uninstalled" role="status">Propensity was uninstalled from portal ${req.query.uninstalled}; its data is deleted.</p>` : '';
    res.type('html').send(page('AI lead scoring for HubSpot', `<h1>Propensity</h1>${uninstalled}
<p>AI lead scoring and churn prediction for HubSpot: learns from your CRM history and writes a score, its reasons and an enrolment decision onto every contact and company, for your workflows to act on.</p>
${localSandbox ? `<p class="muted">Running on the local HubSpot sandbox (no HubSpot account needed): a demo portal with generated CRM history is waiting at ${escapeHtml(localSandbox.sandbox.url)}. After the install, <a href="/sandbox" id="sandbox-view">the demo portal's contacts</a> show the scores Propensity writes.</p>` : ''}
<p><a class="button" href="/oauth/install" id="install">Install Propensity${localSandbox ? ' into the demo portal' : ' in HubSpot'}</a> <a href="/oauth/signin" id="signin">Already installed? Sign in with HubSpot</a></p>
${portals.length > 0 ? `<h2>Your portals</h2><ul>${portals.map((id) => `<li><a href="/portals/${id}">Portal ${id}</a></li>`).join('')}</ul><form method="post" action="/oauth/signout"><button type="submit" id="signout">Sign out</button></form>` : ''}`));
  });

  router.get('/portals/:portalId', requirePortalAccess(), async (req, res) => {
    const portalId: number = res.locals.portalId;
    const status = await portalStatus(services.connection, portalId);
    if (!status || status.status === 'uninstalled') {
      res.status(404).type('html').send(page('Not installed', '<h1>This portal has not installed Propensity</h1><p><a href="/">Propensity</a></p>'));
      return;
    }
    const settings = await loadPortalSettings(services.connection, portalId);
    const models = await portalModels(services.connection, portalId, settings.decisions);
    const sendTimes = await portalSendTimes(services.connection, portalId);
    const csrf = csrfToken(secret, portalId, req);
    const saved = req.query.saved === '1' ? '<p id="saved" role="status">Settings saved.</p>' : '';
    const user = req.session.user?.email ? `<span class="muted">Signed in as ${escapeHtml(req.session.user.email)}</span> · ` : '';
    res.type('html').send(page(`Portal ${portalId}`, `<div id="portal-page" data-portal="${portalId}" data-csrf="${escapeHtml(csrf)}" data-models="${escapeHtml(models.map((m) => m.current?.version ?? '').join(','))}" data-send-times="${hasSummary(sendTimes) ? sendTimes.computedAt.toISOString() : ''}">
<p><a href="/">Propensity</a> · ${user}${localSandbox ? '<a href="/sandbox">the demo portal\'s contacts</a> · ' : ''}<a href="/">your portals</a></p>${saved}
${renderStatus(status)}${renderModels(models)}${renderDecisions(status.scoring)}${renderSendTimes(sendTimes)}
<section id="settings-section">${renderSettingsForm(portalId, settings, csrf)}<div id="preview" aria-live="polite"></div></section>
<h2>Uninstall</h2><form method="post" action="/portals/${portalId}/uninstall" id="uninstall"><input type="hidden" name="csrf" value="${escapeHtml(csrf)}">
<p>Removes Propensity from this HubSpot portal and deletes everything it stored about it (the properties it wrote stay in HubSpot).</p>
<button type="submit" class="button danger" id="uninstall-button">Uninstall Propensity</button></form></div>`, ['/assets/chart.umd.min.js', '/assets/portal-page.js']));
  });

  if (localSandbox) router.use(sandboxRoutes(localSandbox, secret, (title, body) => page(title, body, [], 5)));

  return router;
}

const minutes = (d: Date | null) => (d ? `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC` : '–');

function renderStatus(status: PortalStatus): string {
  const rows = status.sync
    .map((s) => `<tr data-object="${escapeHtml(s.objectType)}"><td>${escapeHtml(s.objectType)}</td><td><div class="bar" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow="${s.percent}"><div style="width:${s.percent}%"></div></div></td>
<td class="percent">${s.percent} %</td><td class="counts">${s.done.toLocaleString('en-US')}${s.total !== null ? ` / ${s.total.toLocaleString('en-US')}` : ''}</td><td class="state">${escapeHtml(s.status)}${s.status === 'running' ? ` · <span class="pace">${escapeHtml(describePace(s))}</span>` : ''}</td></tr>`)
    .join('');
  const lastIncremental = status.sync.map((s) => s.lastIncremental?.at ?? null).filter((d): d is Date => d !== null).sort((a, b) => b.getTime() - a.getTime())[0] ?? null;
  return `<h1>${escapeHtml(status.hubDomain ?? `Portal ${status.portalId}`)}</h1>
<p>Portal ${status.portalId} · ${escapeHtml(status.status)}${status.installedAt ? ` since ${minutes(status.installedAt)}` : ''}</p>${status.needsReauthorisation ? '\n<p id="reauthorise" role="alert"><strong>HubSpot no longer accepts Propensity\'s access to this portal. <a href="/oauth/install">Install again</a> to re-authorise it.</strong></p>' : ''}
<h2>CRM history sync</h2><p>Initial sync: <strong id="sync-percent">${status.syncPercent} %</strong> <span id="sync-eta" class="muted"></span> · last incremental sync: <span id="last-incremental">${minutes(lastIncremental)}</span></p>
<table id="sync"><tr><th>Object</th><th>Progress</th><th></th><th>Records</th><th>Status</th></tr>${rows}</table>
<h2>Webhooks</h2><p id="webhooks"><span id="webhook-backlog">${status.webhooks.pending}</span> waiting · ${status.webhooks.done} processed · ${status.webhooks.dropped} dropped (the app's own writes) · <strong><span id="webhook-dead">${status.webhooks.dead}</span> dead-lettered</strong> (failed for good)</p>
<h2>Work queue</h2><p id="jobs">${status.jobs.queued} queued · ${status.jobs.running} running · ${status.jobs.dead} failed for good</p>
${renderPropertyProblems(status.propertyProblems)}`;
}

function renderPropertyProblems(problems: PortalStatus['propertyProblems']): string {
  if (problems.length === 0) return '';
  return `<div id="property-problems" role="alert"><h2>Properties to fix in HubSpot</h2><p>Propensity cannot write these until they are deleted or renamed in HubSpot (Settings → Properties); it creates them again with the right type on its next start:</p>
<ul>${problems.map((p) => `<li><code>${escapeHtml(p.objectType)}.${escapeHtml(p.name)}</code>: ${escapeHtml(p.problem)}</li>`).join('')}</ul></div>`;
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const day = (d: Date | null | undefined) => (d ? d.toISOString().slice(0, 10) : '?');

function renderModels(models: TargetView[]): string {
  return `<h2>Models</h2>${models.map((m) => {
    const title = `${m.objectType === 'companies' ? 'Companies: ' : 'Contacts: '}${m.target === 'lead' ? 'lead model (chance of becoming a customer)' : 'churn model (chance of leaving)'}`;
    const c = m.current;
    const summary = !c
      ? '<p class="muted">No model yet: the first one is trained when the history sync finishes.</p>'
      : `<p><strong class="version">${escapeHtml(c.version)}</strong> · <span class="kind">${c.kind === 'rules' ? `rule model (cold start: ${escapeHtml(c.coldStart ?? 'too little history to learn yet')})` : 'learned from this portal\'s history'}</span> · trained ${minutes(c.trainedAt)}</p>
<p>Training window: ${c.window ? `snapshots ${day(c.window.from)} to ${day(c.window.to)}, validated on ${day(c.window.holdoutAt)}` : '–'} · validation AUC <strong class="auc">${c.holdout.auc === null ? '–' : c.holdout.auc.toFixed(3)}</strong>${c.holdout.rows ? ` on ${c.holdout.rows.toLocaleString('en-US')} records (${(c.holdout.positives ?? 0).toLocaleString('en-US')} positive)` : ''}</p>`;
    const history = m.history.map((h) => `<tr><td>${escapeHtml(h.version)}</td><td>${escapeHtml(h.kind)}</td><td>${escapeHtml(h.status)}</td><td>${minutes(h.trainedAt)}</td><td>${h.auc === null ? '–' : h.auc.toFixed(3)}</td><td>${h.promoted === null ? '' : h.promoted ? 'promoted' : 'kept the current model'}${h.replaced ? ` (replaced ${escapeHtml(h.replaced)})` : ''}: ${escapeHtml(h.reason ?? '')}</td></tr>`).join('');
    const chart = (kind: string, label: string) => `<figure><figcaption>${label}</figcaption><div class="chart"><canvas id="${kind}-${m.key}" aria-label="${escapeHtml(label)}" role="img"></canvas></div></figure>`;
    return `<section class="model" id="model-${m.key}"><h3>${title}</h3>${summary}
${c ? `<div class="charts">${chart('roc', 'ROC curve on the validation snapshot')}${chart('calibration', 'Calibration: predicted vs observed rate')}${chart('histogram', 'Scores by tier (records scored now)')}${chart('importance', 'Top features by importance')}</div>` : ''}
<h4>Versions and promotions</h4><table class="history"><tr><th>Version</th><th>Kind</th><th>Status</th><th>Trained</th><th>AUC</th><th>Decision</th></tr>${history}</table></section>`;
  }).join('')}`;
}

function renderDecisions(s: PortalStatus['scoring']): string {
  const enrolments = Object.entries(s.enrolments).map(([k, n]) => `<tr><td>${escapeHtml(k)}</td><td>${n.toLocaleString('en-US')}</td></tr>`).join('');
  const errors = s.writeErrors.length === 0 ? '' : `<p><strong>HubSpot refused some writes:</strong></p><ul>${s.writeErrors.map((e) => `<li>contact ${escapeHtml(e.objectId)}: ${escapeHtml(e.error)}</li>`).join('')}</ul>`;
  const uplift = s.uplift
    .map((u) => `<tr><td>${escapeHtml(u.enrolment)}</td><td>${u.enrolled} / ${u.control}</td><td>${u.result ? `${pct(u.result.enrolledRate)} vs ${pct(u.result.controlRate)} ${escapeHtml(u.outcome)}` : '–'}</td>
<td>${u.result ? `${u.result.difference >= 0 ? '+' : ''}${pct(u.result.difference)} (95 % CI ${pct(u.result.low)} to ${pct(u.result.high)})` : 'not enough records yet'}</td></tr>`)
    .join('');
  return `<h2>Decisions</h2><p id="scores">${s.scored.toLocaleString('en-US')} contacts and ${s.scoredCompanies.toLocaleString('en-US')} companies scored · ${s.writePending} waiting to be written to HubSpot</p>
<table id="enrolments"><tr><th>Enrolment</th><th>Records</th></tr>${enrolments || '<tr><td colspan="2" class="muted">no decisions yet</td></tr>'}</table>${errors}
<h3>Control group</h3><table id="uplift"><tr><th>Enrolment</th><th>Enrolled / control</th><th>Outcome rates</th><th>Uplift</th></tr>${uplift}</table>`;
}
