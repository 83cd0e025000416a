/** Errors the HubSpot adapter raises, and how it reads HubSpot's answers. */

export class PortalNotInstalledError extends Error {
  override name = 'PortalNotInstalledError';
  constructor(readonly portalId: number) {
    super(`portal ${portalId} is not installed`);
  }
}

/**
 * Why HubSpot stopped accepting the portal's tokens: a freshly refreshed access token answered 401
 * again (`access-refused`), or the refresh itself was refused as revoked (`refresh-token-rejected`:
 * HubSpot's `invalid_grant` / `BAD_REFRESH_TOKEN`).
 */
export type AccessLostReason = 'access-refused' | 'refresh-token-rejected';

/**
 * HubSpot refuses the portal's tokens. The HubSpot adapter only reports it; what it means for the
 * install (re-authorisation needed, data kept) is decided in `src/install/portal-access.ts`.
 */
export class PortalAccessLostError extends Error {
  override name = 'PortalAccessLostError';
  constructor(readonly portalId: number, readonly reason: AccessLostReason) {
    super(`HubSpot refuses portal ${portalId}'s tokens (${reason})`);
  }
}

/** The HTTP status of an @hubspot/api-client error (ApiException.code), or 0 for a network failure. */
export function statusOf(error: unknown): number {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'number' ? code : 0;
}

/** The parsed JSON body of an ApiException, whatever form the client left it in. */
export function bodyOf(error: unknown): Record<string, unknown> {
  const body = (error as { body?: unknown })?.body;
  if (body && typeof body === 'object' && !Buffer.isBuffer(body)) return body as Record<string, unknown>;
  try {
    const parsed = JSON.parse(String(body));
    return parsed && typeof parsed === 'object' ? parsed : {};
  } catch {
    return {};
  }
}

/** HubSpot's answer to a refresh with a revoked or uninstalled install. */
export function isRevokedRefreshToken(error: unknown): boolean {
  const body = bodyOf(error);
  return statusOf(error) === 400 && (body.status === 'BAD_REFRESH_TOKEN' || body.error === 'invalid_grant');
}
