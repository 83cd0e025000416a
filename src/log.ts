/**
 * Structured logs (pino). Secrets never reach a log line: token fields, authorization headers and
 * webhook signatures are redacted wherever they appear in a logged object.
 */
import { pino, type Logger } from 'pino';

export type { Logger };

export const redactedPaths = [
  'accessToken', 'refreshToken', 'access_token', 'refresh_token', 'clientSecret', 'client_secret', 'code',
  '*.accessToken', '*.refreshToken', '*.access_token', '*.refresh_token', '*.clientSecret', '*.client_secret',
  'req.headers.authorization', 'req.headers.cookie', 'req.headers["x-hubspot-signature"]',
  'req.headers["x-hubspot-signature-v3"]', 'res.headers["set-cookie"]',
];

export function createLogger(options: { level: string; destination?: pino.DestinationStream }): Logger {
  return pino(
    { level: options.level, redact: { paths: redactedPaths, censor: '[redacted]' }, base: { app: 'propensity' } },
    options.destination,
  );
}
