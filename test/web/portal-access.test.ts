/**
 * Only people of a portal see its page and its API: signed in through HubSpot's OAuth (the install,
 * or /oauth/signin), held in a MongoDB-backed session; a user of portal A gets 403 on portal B.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { portalModel } from '../../src/db/models/portal.ts';
import { startSandbox } from '../../src/sandbox/start-sandbox.ts';
import { SESSION_COOKIE } from '../../src/web/session.ts';
import { installPortal, startTestPropensity } from '../helpers/propensity.ts';

const sandbox = await startSandbox({ seed: 31 });
const propensity = await startTestPropensity(sandbox, 'web_portal_access');
after(async () => {
  await propensity.close();
  await sandbox.close();
});
const a = sandbox.addPortal({ contacts: 20, seed: 1 });
const b = sandbox.addPortal({ contacts: 20, seed: 2 });

const cookieOf = (res: Response) => res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
const installedA = await installPortal(propensity, sandbox, a.portalId);
const installedB = await installPortal(propensity, sandbox, b.portalId);
const userOfA = cookieOf(installedA);
const userOfB = cookieOf(installedB);
const get = (path: string, cookie?: string, accept = 'text/html') => fetch(`${propensity.url}${path}`, { headers: { accept, ...(cookie ? { cookie } : {}) }, redirect: 'manual' });
const csrfOf = async (portalId: number, cookie: string) => /name="csrf" value="([^"]+)"/.exec(await (await get(`/portals/${portalId}`, cookie)).text())![1];

const pagesAndApi = (portalId: number) => [
  `/portals/${portalId}`,
  `/portals/${portalId}/api/status`,
  `/portals/${portalId}/api/models`,
  `/portals/${portalId}/api/send-times`,
  `/portals/${portalId}/api/settings`,
  `/portals/${portalId}/api/settings/preview?salesFastTrack=0.4`,
];

test('the install signs the installer in: an httpOnly, sameSite session cookie, the session in MongoDB, no other cookie', async () => {
  const cookies = installedA.headers.getSetCookie();
  assert.equal(cookies.length, 1, cookies.join(' | '));
  assert.match(cookies[0], new RegExp(`^${SESSION_COOKIE}=`));
  assert.match(cookies[0], /HttpOnly/i);
  assert.match(cookies[0], /SameSite=Lax/i);
  assert.doesNotMatch(cookies[0], /Secure/i, 'served over http here; secure when PUBLIC_URL is https');
  const sessions = await propensity.connection.db!.collection('sessions').find().toArray();
  assert.ok(sessions.some((s) => JSON.stringify(s.session).includes(String(a.portalId))), 'the session is stored in MongoDB');
});

test('a user of portal A sees A\'s page and API, and gets 403 on every page and API path of portal B', async () => {
  for (const path of pagesAndApi(a.portalId)) assert.equal((await get(path, userOfA)).status, 200, path);
  for (const path of pagesAndApi(b.portalId)) {
    assert.equal((await get(path, userOfA)).status, 403, `${path} (browser)`);
    const api = await get(path, userOfA, 'application/json');
    assert.equal(api.status, 403, `${path} (API)`);
    assert.match(((await api.json()) as { message: string }).message, /Sign in/);
  }
  for (const path of pagesAndApi(a.portalId)) assert.equal((await get(path, userOfB)).status, 403, `B's user on ${path}`);
});

test('forms of portal B refuse a user of portal A, even with a CSRF token of A\'s page: nothing changes', async () => {
  const csrf = await csrfOf(a.portalId, userOfA);
  const post = (path: string, fields: Record<string, string>) =>
    fetch(`${propensity.url}${path}`, { method: 'POST', redirect: 'manual', headers: { cookie: userOfA, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) });
  assert.equal((await post(`/portals/${b.portalId}/settings`, { csrf, salesFastTrack: '0.3' })).status, 403);
  assert.equal((await post(`/portals/${b.portalId}/uninstall`, { csrf })).status, 403);
  assert.equal((await portalModel(propensity.connection).findOne({ portalId: b.portalId }).lean())?.status, 'installed');
});

test('no session, a forged session cookie, a portal id that is not a number: 403 or 404, never the page', async () => {
  assert.equal((await get(`/portals/${a.portalId}`)).status, 403);
  assert.match(await (await get(`/portals/${a.portalId}`)).text(), /href="\/oauth\/signin"/, 'the browser is offered the sign-in');
  assert.equal((await get(`/portals/${a.portalId}`, `${SESSION_COOKIE}=s%3Aforged.signature`)).status, 403);
  assert.equal((await get('/portals/%7B%22%24ne%22%3A1%7D/api/status', userOfA)).status, 404);
});

test('login CSRF: a callback link of a flow the attacker started is refused in the victim\'s browser, whose session keeps only its own portals', async () => {
  // The attacker starts a sign-in for their own portal (B) and stops before the callback...
  const start = await fetch(`${propensity.url}/oauth/signin`, { redirect: 'manual' });
  const authorize = new URL(start.headers.get('location')!);
  const consent = await fetch(`${sandbox.url}/oauth/authorize/decision`, {
    method: 'POST',
    redirect: 'manual',
    body: new URLSearchParams({ ...Object.fromEntries(authorize.searchParams), portal_id: String(b.portalId), decision: 'approve' }),
  });
  const attackLink = consent.headers.get('location')!;
  // ...and sends the link to a user of portal A, whose browser follows it with its own cookies.
  const followed = await fetch(attackLink, { redirect: 'manual', headers: { cookie: userOfA, accept: 'application/json' } });
  assert.equal(followed.status, 403);
  assert.match(((await followed.json()) as { title: string }).title, /not started here/);
  assert.deepEqual(followed.headers.getSetCookie().filter((c) => c.startsWith(`${SESSION_COOKIE}=`)), [], 'no session set');
  assert.equal((await get(`/portals/${b.portalId}`, userOfA)).status, 403, 'the victim\'s session does not hold the attacker\'s portal');
  assert.equal((await get(`/portals/${a.portalId}`, userOfA)).status, 200);
  assert.doesNotMatch(await (await get(`/portals/${a.portalId}`, userOfA)).text(), new RegExp(`portal ${b.portalId}`));
  // A browser with no session at all is not signed in to the attacker's portal either.
  const fresh = await fetch(attackLink, { redirect: 'manual' });
  assert.equal(fresh.status, 403);
  assert.deepEqual(fresh.headers.getSetCookie().filter((c) => c.startsWith(`${SESSION_COOKIE}=`)), []);
});

test('sign in with HubSpot: a user of an installed portal signs in through the same authorize flow, nothing is re-installed', async () => {
  const before = (await portalModel(propensity.connection).findOne({ portalId: b.portalId }).lean())!;
  const start = await fetch(`${propensity.url}/oauth/signin`, { redirect: 'manual', headers: { cookie: userOfA } });
  assert.equal(start.status, 302);
  const authorize = new URL(start.headers.get('location')!);
  assert.equal(`${authorize.origin}${authorize.pathname}`, `${sandbox.url}/oauth/authorize`);
  const consent = await fetch(`${sandbox.url}/oauth/authorize/decision`, {
    method: 'POST',
    redirect: 'manual',
    body: new URLSearchParams({ ...Object.fromEntries(authorize.searchParams), portal_id: String(b.portalId), decision: 'approve' }),
  });
  const callback = await fetch(consent.headers.get('location')!, { redirect: 'manual', headers: { cookie: `${userOfA}; ${start.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')}` } });
  assert.equal(callback.status, 303);
  assert.equal(callback.headers.get('location'), `/portals/${b.portalId}`);
  const signedIn = cookieOf(callback);
  assert.notEqual(signedIn, userOfA, 'a new session id at sign-in');
  assert.equal((await get(`/portals/${b.portalId}`, signedIn)).status, 200);
  assert.equal((await get(`/portals/${a.portalId}`, signedIn)).status, 200, 'the portals signed in to before stay');
  assert.equal((await get(`/portals/${a.portalId}`, userOfA)).status, 403, 'the old session id is gone');
  const afterSignIn = (await portalModel(propensity.connection).findOne({ portalId: b.portalId }).lean())!;
  assert.equal(afterSignIn.installCount, before.installCount, 'a sign-in is not an install');

  const out = await fetch(`${propensity.url}/oauth/signout`, { method: 'POST', redirect: 'manual', headers: { cookie: signedIn } });
  assert.equal(out.status, 303);
  assert.equal((await get(`/portals/${b.portalId}`, signedIn)).status, 403, 'signed out');
});

test('the uninstall button: HubSpot is told, the portal\'s data is gone, the portal leaves the session', async () => {
  const admin = cookieOf(await installPortal(propensity, sandbox, a.portalId));
  const page = await (await get(`/portals/${a.portalId}`, admin)).text();
  assert.match(page, /id="uninstall-button"/);
  const csrf = /name="csrf" value="([^"]+)"/.exec(page)![1];
  const answer = await fetch(`${propensity.url}/portals/${a.portalId}/uninstall`, { method: 'POST', redirect: 'manual', headers: { cookie: admin, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ csrf }) });
  assert.equal(answer.status, 303);
  assert.equal(answer.headers.get('location'), `/?uninstalled=${a.portalId}`);
  const stored = await portalModel(propensity.connection).findOne({ portalId: a.portalId }).lean();
  assert.deepEqual([stored?.status, stored?.uninstallReason, stored?.tokens], ['uninstalled', 'admin-uninstalled', undefined]);
  assert.equal((await get(`/portals/${a.portalId}`, admin)).status, 403);
});
