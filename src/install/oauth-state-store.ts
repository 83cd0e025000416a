/**
 * The OAuth `state` parameter for passport-oauth2: signed (HMAC), expiring (10 minutes) and
 * single-use (claimed atomically in MongoDB), so an install callback cannot be forged or replayed.
 * It also remembers why the person went to HubSpot (install, or sign in to a portal's page).
 *
 * The state is tied to the browser that started the flow (login CSRF): its nonce is also put in a
 * cookie of that browser (`propensity_oauth`, httpOnly, SameSite=Lax so HubSpot's redirect back
 * carries it, 10 minutes, path /oauth), and the callback accepts a state only with that cookie. An
 * attacker who starts the flow for their own portal and sends the victim the callback link gets
 * "not started in this browser": the victim's session never holds the attacker's portal.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Connection } from 'mongoose';
import { oauthStateModel } from '../db/models/oauth-state.ts';

type StoreCallback = (err: Error | null, state?: string) => void;
type VerifyCallback = (err: Error | null, ok?: boolean, info?: { message: string } | { purpose: OAuthPurpose }) => void;

/**
 * Why the authorize flow was started: `authenticate('hubspot', { state: { purpose: 'signin' } })` for a
 * sign-in (an object: passport-oauth2 sends a string `state` as is, an object goes to this store).
 */
export type OAuthPurpose = 'install' | 'signin';

export const STATE_TTL_MS = 10 * 60 * 1000;
const STATE_PATTERN = /^([A-Za-z0-9_-]{22})\.(\d{13})\.([A-Za-z0-9_-]{43})$/;
export const OAUTH_BROWSER_COOKIE = 'propensity_oauth';
/** Flows a browser may have open at once (tabs); the oldest is forgotten beyond this. */
const OPEN_FLOWS = 3;

/** What passport-oauth2 hands the store: express's request, and through it the response. */
interface FlowRequest {
  headers?: { cookie?: string };
  res?: { cookie?: (name: string, value: string, options: Record<string, unknown>) => unknown };
}

/** The nonces of the flows this browser started, from its `propensity_oauth` cookie. */
function browserNonces(req: unknown): string[] {
  const header = (req as FlowRequest | undefined)?.headers?.cookie ?? '';
  for (const part of header.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === OAUTH_BROWSER_COOKIE) return decodeURIComponent(value.join('=')).split('.').filter((n) => /^[A-Za-z0-9_-]{22}$/.test(n));
  }
  return [];
}

/** The cookie header of a browser that started the flow of `state` (tests, and the sandbox backtest's own install). */
export function oauthBrowserCookie(state: string): string {
  return `${OAUTH_BROWSER_COOKIE}=${state.split('.')[0]}`;
}

export class OAuthStateStore {
  constructor(
    private readonly connection: Connection,
    private readonly secret: Buffer,
    private readonly now: () => Date = () => new Date(),
    private readonly ttlMs = STATE_TTL_MS,
    /** The browser cookie only over https (when the public URL is https). */
    private readonly secureCookie = false,
  ) {}

  /** passport-oauth2 calls this (arity 4) when it redirects to the authorize page, with `authenticate`'s `state` option. */
  store(req: unknown, options: unknown, _meta: unknown, callback: StoreCallback): void {
    const purpose = (options as { purpose?: unknown } | undefined)?.purpose === 'signin' ? 'signin' : 'install';
    this.issue(purpose).then((state) => {
      this.rememberInBrowser(req, [...browserNonces(req), state.split('.')[0]].slice(-OPEN_FLOWS));
      callback(null, state);
    }, callback);
  }

  /** passport-oauth2 calls this (arity 4) on the callback; the purpose reaches the callback as `info.state`. */
  verify(req: unknown, state: unknown, _meta: unknown, callback: VerifyCallback): void {
    const nonce = typeof state === 'string' ? STATE_PATTERN.exec(state)?.[1] : undefined;
    const started = browserNonces(req);
    if (nonce !== undefined && !started.includes(nonce)) {
      callback(null, false, { message: 'state not started in this browser' });
      return;
    }
    this.claimPurpose(state).then(
      (claimed) => ('problem' in claimed ? callback(null, false, { message: claimed.problem }) : callback(null, true, { purpose: claimed.purpose })),
      callback,
    );
  }

  async issue(purpose: OAuthPurpose = 'install'): Promise<string> {
    const nonce = randomBytes(16).toString('base64url');
    const createdAt = this.now();
    const expiresAt = new Date(createdAt.getTime() + this.ttlMs);
    await oauthStateModel(this.connection).create({ _id: nonce, createdAt, expiresAt, purpose });
    const payload = `${nonce}.${expiresAt.getTime()}`;
    return `${payload}.${this.sign(payload)}`;
  }

  /** Null when `state` is genuine, unexpired and unused (and now used); otherwise the reason. */
  async claim(state: unknown): Promise<string | null> {
    const claimed = await this.claimPurpose(state);
    return 'problem' in claimed ? claimed.problem : null;
  }

  /** What the state was issued for when it is genuine, unexpired and unused (and now used); otherwise the reason. */
  async claimPurpose(state: unknown): Promise<{ purpose: OAuthPurpose } | { problem: string }> {
    if (typeof state !== 'string' || state === '') return { problem: 'missing state' };
    const match = STATE_PATTERN.exec(state);
    if (!match) return { problem: 'malformed state' };
    const [, nonce, expiresMs, signature] = match;
    const expected = Buffer.from(this.sign(`${nonce}.${expiresMs}`));
    if (!timingSafeEqual(expected, Buffer.from(signature))) return { problem: 'forged state' };
    const now = this.now();
    if (Number(expiresMs) <= now.getTime()) return { problem: 'expired state' };
    const claimed = await oauthStateModel(this.connection).findOneAndUpdate(
      { _id: nonce, usedAt: { $exists: false }, expiresAt: { $gt: now } },
      { $set: { usedAt: now } },
    );
    if (!claimed) return { problem: 'state already used' };
    return { purpose: claimed.purpose === 'signin' ? 'signin' : 'install' };
  }

  private rememberInBrowser(req: unknown, nonces: string[]): void {
    (req as FlowRequest).res?.cookie?.(OAUTH_BROWSER_COOKIE, nonces.join('.'), {
      httpOnly: true, sameSite: 'lax', secure: this.secureCookie, path: '/oauth', maxAge: nonces.length > 0 ? this.ttlMs : 0,
    });
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.secret).update(payload).digest('base64url');
  }
}
