/** What HubSpot says about an access token: whose portal, which user, which scopes. */
import { Client } from '@hubspot/api-client';
import type { HubSpotApp } from './hubspot-app.ts';

export interface TokenInfo {
  portalId: number;
  hubDomain: string;
  appId: string;
  userId: number | undefined;
  userEmail: string | undefined;
  scopes: string[];
}

export async function fetchTokenInfo(app: HubSpotApp, accessToken: string): Promise<TokenInfo> {
  const client = new Client({ basePath: app.apiBaseUrl, numberOfApiCallRetries: 0 });
  const info = await client.oauth.accessTokensApi.get(accessToken);
  return {
    portalId: Number(info.hubId),
    hubDomain: info.hubDomain ?? '',
    appId: String(info.appId),
    userId: info.userId ?? undefined,
    userEmail: info.user ?? undefined,
    scopes: info.scopes ?? [],
  };
}
