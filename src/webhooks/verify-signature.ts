/**
 * HubSpot request signatures. v3 (webhooks and all current requests): base64 HMAC-SHA256 keyed by
 * the client secret over method + URI + raw body + timestamp, the timestamp at most 5 minutes old.
 * Compared in constant time. v1/v2 (no timestamp, so replayable forever) are not accepted: HubSpot
 * sends v3 with every request to an OAuth app, the older ones only alongside it.
 */
import { timingSafeEqual } from 'node:crypto';
import { signV3 } from '../hubspot/signature-v3.ts';

export const MAX_SIGNATURE_AGE_MS = 5 * 60 * 1000;

export { normaliseSignedUri } from '../hubspot/signature-v3.ts';

export interface SignedRequest {
  method: string;
  /** The full URI HubSpot called: public URL + path + query. */
  uri: string;
  rawBody: Buffer;
  /** `X-HubSpot-Request-Timestamp` (ms since epoch) */
  timestamp: string | undefined;
  /** `X-HubSpot-Signature-v3` */
  signature: string | undefined;
}

export type SignatureVerdict = { valid: true } | { valid: false; reason: 'unsigned' | 'stale' | 'mismatch' };

/** The v3 signature of a request: the same function the sandbox signs its webhooks with. */
export function computeSignatureV3(secret: string, method: string, uri: string, rawBody: Buffer, timestamp: string): string {
  return signV3({ secret, method, uri, body: rawBody, timestamp });
}

export function verifySignatureV3(secret: string, request: SignedRequest, now = Date.now()): SignatureVerdict {
  const { signature, timestamp } = request;
  if (!signature || !timestamp) return { valid: false, reason: 'unsigned' };
  const sentAt = Number(timestamp);
  if (!/^\d{1,16}$/.test(timestamp) || Math.abs(now - sentAt) > MAX_SIGNATURE_AGE_MS) return { valid: false, reason: 'stale' };
  const expected = computeSignatureV3(secret, request.method, request.uri, request.rawBody, timestamp);
  return constantTimeEqual(expected, signature) ? { valid: true } : { valid: false, reason: 'mismatch' };
}

function constantTimeEqual(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  // Compare equal-length buffers always, so the time taken does not reveal the length.
  return timingSafeEqual(a, b.length === a.length ? b : a) && b.length === a.length;
}
