/**
 * The README's first command, as a new user runs it: `npm start` with no environment but a port and a
 * fresh data folder. The landing page's install goes through the sandbox's consent page over HTTP;
 * then the demo portal's contacts must carry Propensity's scores and decisions, and a simulated burst
 * of activity must come back as new scores within 5 s.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { after, test } from 'node:test';
import { projectRoot } from '../../src/install/app-definition.ts';
import { freePort } from '../helpers/processes.ts';

const PORTAL = 90_000_001;
const dataDir = mkdtempSync(path.join(tmpdir(), 'propensity-fresh-'));
const port = await freePort();
const started = performance.now();
const child = spawn('npm', ['start'], {
  cwd: projectRoot,
  env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(port), DATA_DIR: dataDir },
  stdio: ['ignore', 'pipe', 'pipe'],
  detached: true,
});
child.stderr!.resume();
after(async () => {
  if (child.exitCode === null) {
    process.kill(-child.pid!, 'SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
  // The engine child may still be closing its files for a while after npm exits.
  for (let attempt = 0; ; attempt++) {
    try {
      rmSync(dataDir, { recursive: true, force: true });
      break;
    } catch (error) {
      if (attempt >= 40) throw error;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
});
const url = await new Promise<string>((resolve, reject) => {
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const ready = /Propensity is ready: open (\S+?)"/.exec(line);
    if (ready) resolve(ready[1]);
  });
  child.once('exit', (code) => reject(new Error(`npm start exited with ${code}`)));
});

function formFields(html: string): URLSearchParams {
  const fields = new URLSearchParams();
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields.set(m[1], m[2].replace(/&amp;/g, '&').replace(/&quot;/g, '"'));
  return fields;
}

async function contacts(sandboxUrl: string, properties: string[]): Promise<{ id: string; properties: Record<string, string | null> }[]> {
  const all: { id: string; properties: Record<string, string | null> }[] = [];
  for (let after = 0; ; ) {
    const page = (await (await fetch(`${sandboxUrl}/_sandbox/portals/${PORTAL}/objects/contacts?properties=${properties.join(',')}&limit=1000&after=${after}`)).json()) as { results: { id: string; properties: Record<string, string | null> }[]; next?: number };
    all.push(...page.results);
    if (!page.next) return all;
    after = page.next;
  }
}

test('npm start → install from the landing page → scores in the sandbox portal → simulated activity rescored within 5 s', async () => {
  const landing = await (await fetch(url)).text();
  assert.match(landing, /id="install"/);
  const install = await fetch(`${url}/oauth/install`, { redirect: 'manual' });
  const consentUrl = install.headers.get('location')!;
  const sandboxUrl = new URL(consentUrl).origin;
  const consent = await (await fetch(consentUrl)).text();
  assert.match(consent, /id="approve"/);
  const fields = formFields(consent);
  fields.set('portal_id', String(PORTAL));
  fields.set('decision', 'approve');
  const decided = await fetch(`${sandboxUrl}/oauth/authorize/decision`, { method: 'POST', body: fields, redirect: 'manual' });
  const callback = await fetch(decided.headers.get('location')!, { redirect: 'manual' });
  assert.equal(callback.status, 303);
  const cookie = callback.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');

  const names = ['propensity_lead_score', 'propensity_churn_risk', 'propensity_enrolment', 'propensity_scored_at'];
  const deadline = Date.now() + 240_000;
  let scored: { id: string; properties: Record<string, string | null> }[] = [];
  while (Date.now() < deadline) {
    const all = await contacts(sandboxUrl, names);
    scored = all.filter((c) => c.properties.propensity_enrolment);
    if (scored.length === all.length && scored.length > 0) break;
    await new Promise((r) => setTimeout(r, 1_000));
  }
  const firstScoresSeconds = (performance.now() - started) / 1000;
  console.log(`npm start → every demo contact scored and written back: ${firstScoresSeconds.toFixed(1)} s`);
  assert.ok(scored.length > 0 && scored.every((c) => c.properties.propensity_enrolment), 'every contact has an enrolment decision');
  assert.ok(scored.some((c) => c.properties.propensity_lead_score), 'leads carry a lead score');

  const view = await (await fetch(`${url}/sandbox`, { headers: { cookie } })).text();
  const token = /name="token" value="([^"]+)"/.exec(view)![1];
  const before = new Map(scored.map((c) => [c.id, c.properties.propensity_scored_at]));
  const clicked = performance.now();
  const simulated = await fetch(`${url}/sandbox/simulate`, { method: 'POST', body: new URLSearchParams({ token }), redirect: 'manual' });
  assert.equal(simulated.status, 303);
  const ids = new URL(simulated.headers.get('location')!, url).searchParams.get('simulated')!.split(',');
  let rescored: string[] = [];
  while (performance.now() - clicked < 5_000) {
    const now = await contacts(sandboxUrl, names);
    rescored = now.filter((c) => ids.includes(c.id) && c.properties.propensity_scored_at !== before.get(c.id)).map((c) => c.id);
    if (rescored.length > 0) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  console.log(`simulated activity → new scores written back: ${((performance.now() - clicked) / 1000).toFixed(1)} s (${rescored.length} of ${ids.length} contacts)`);
  assert.ok(rescored.length > 0, 'a contact with new activity got a new score within 5 s');

  const metrics = await (await fetch(`${url}/metrics`)).text();
  assert.match(metrics, new RegExp(`propensity_model_validation_auc\\{portal="${PORTAL}",object="contacts",target="lead"\\} 0\\.\\d+`));
  assert.match(metrics, new RegExp(`propensity_hubspot_requests_total\\{portal="${PORTAL}",outcome="requests"\\} [1-9]`));
  assert.match(metrics, /propensity_job_seconds_count\{type="portal.train",outcome="done"\} 1/);
  assert.match(metrics, /propensity_webhook_inbox_events\{status="pending"\} \d+/);
});
