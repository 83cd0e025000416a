/**
 * Who this app is to HubSpot and where HubSpot is: the real one (credentials from the environment)
 * or the local sandbox (which registers the app itself). Everything HubSpot-facing takes one of these,
 * so the sandbox and production run the same code path.
 */
export interface HubSpotApp {
  clientId: string;
  clientSecret: string;
  /** HubSpot's numeric app id, as a string (webhook events carry it as `sourceId`). */
  appId: string;
  /** e.g. https://api.hubapi.com */
  apiBaseUrl: string;
  /** e.g. https://app.hubspot.com/oauth/authorize */
  authorizeUrl: string;
  /** Where HubSpot reaches this app, e.g. https://propensity.example.com */
  publicUrl: string;
  requiredScopes: string[];
  optionalScopes: string[];
}

export const redirectPath = '/oauth/callback';

export function redirectUrl(app: HubSpotApp): string {
  return `${app.publicUrl}${redirectPath}`;
}
