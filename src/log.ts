/**
 * Structured logs (pino). Secrets never reach a log line: token fields, authorization headers and
 * webhook signatures are redacted wherever they appear in a logged object, and request URLs lose the
 * values of OAuth's `code` and `state` (`redactUrl`, used by the HTTP request log).
 */
import { pino, type Logger } from 'pino';

export type { Logger };

export const redactedPaths = [
  'accessToken', 'refreshToken', 'access_token', 'refresh_token', 'clientSecret', 'client_secret', 'code',
  '*.accessToken', '*.refreshToken', '*.access_token', '*.refresh_token', '*.clientSecret', '*.client_secret',
  'req.headers.authorization', 'req.headers.cookie', 'req.headers["x-hubspot-signature"]',
  'req.headers["x-hubspot-signature-v3"]', 'res.headers["set-cookie"]',
];

/** Query parameters that are credentials: OAuth's authorization `code` and `state`, and any token. */
const secretParameters = /^(code|state|token|access_token|refresh_token|client_secret)$/i;

/** A URL fit for a log line: the values of secret query parameters replaced. */
export function redactUrl(url: string): string {
  const at = url.indexOf('?');
  if (at < 0) return url;
  const query = url.slice(at + 1).split('&').map((pair) => {
    const name = pair.split('=')[0];
    let decoded = name;
    try {
      decoded = decodeURIComponent(name);
    } catch { /* an undecodable name is kept as it is */ }
    return secretParameters.test(decoded) ? `${name}=[redacted]` : pair;
  });
  return `${url.slice(0, at)}?${query.join('&')}`;
}

/** A parsed query fit for a log line: the values of secret parameters replaced. */
export function redactQuery(query: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!query || typeof query !== 'object') return query;
  return Object.fromEntries(Object.entries(query).map(([name, value]) => [name, secretParameters.test(name) ? '[redacted]' : value]));
}

export function createLogger(options: { level: string; destination?: pino.DestinationStream }): Logger {
  return pino(
    { level: options.level, redact: { paths: redactedPaths, censor: '[redacted]' }, base: { app: 'propensity' } },
    options.destination,
  );
}
