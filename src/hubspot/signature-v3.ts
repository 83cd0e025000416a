/**
 * HubSpot's request signature v3, as a pure function: the sandbox signs the webhooks it sends with
 * it, and the app's webhook receiver recomputes it to verify them.
 *
 * `X-HubSpot-Signature-v3` = base64(HMAC-SHA256(key = the app's client secret,
 * message = method + URI + raw body + timestamp)), the timestamp being `X-HubSpot-Request-Timestamp`
 * (ms since the epoch). The URI is the full `https://host/path?query` HubSpot called, with the
 * percent-escapes HubSpot's documentation lists decoded before signing.
 *
 * @example
 * signV3({ secret: 'shh', method: 'POST', uri: 'https://example.com/webhooks', body: '[]', timestamp: 1700000000000 })
 * // => 'mT2y…=' (44 characters of base64)
 */
import { createHmac } from 'node:crypto';

export interface SignV3Input {
  /** The app's client secret. */
  secret: string;
  method: string;
  /** The full URI called: scheme, host, path and query. */
  uri: string;
  /** The raw request body, exactly the bytes sent. */
  body: string | Buffer;
  /** `X-HubSpot-Request-Timestamp`: milliseconds since the epoch. */
  timestamp: string | number;
}

const DECODED_IN_URI: Record<string, string> = {
  '%3A': ':', '%2F': '/', '%3F': '?', '%40': '@', '%21': '!', '%24': '$', '%27': "'",
  '%28': '(', '%29': ')', '%2A': '*', '%2C': ',', '%3B': ';',
};

/** The URI as HubSpot signs it: these escapes decoded, every other byte left alone. */
export function normaliseSignedUri(uri: string): string {
  return uri.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (escape) => DECODED_IN_URI[escape.toUpperCase()]);
}

export function signV3({ secret, method, uri, body, timestamp }: SignV3Input): string {
  return createHmac('sha256', secret)
    .update(method.toUpperCase() + normaliseSignedUri(uri))
    .update(body)
    .update(String(timestamp))
    .digest('base64');
}
