/**
 * HubSpot's developer platform uploads *projects* (`hs project upload`). This builds the project's
 * files from the repository's own `app.json` and `webhooks/webhooks.json`; pure: data in, files out.
 */
import type { AppDefinition, WebhooksDefinition } from '../install/app-definition.ts';
import { withPublicUrl } from '../install/app-definition.ts';

export const PLATFORM_VERSION = '2026.03';

export interface ProjectFile {
  path: string;
  json: unknown;
}

export function buildHubSpotProject(app: AppDefinition, webhooks: WebhooksDefinition, publicUrl: string): ProjectFile[] {
  const resolvedApp = withPublicUrl(app, publicUrl);
  const resolvedWebhooks = withPublicUrl(webhooks, publicUrl);
  return [
    { path: 'hsproject.json', json: { name: app.uid.replace(/_/g, '-'), srcDir: 'src', platformVersion: PLATFORM_VERSION } },
    { path: 'src/app/app-hsmeta.json', json: { uid: resolvedApp.uid, type: 'app', config: resolvedApp.config } },
    {
      path: 'src/app/webhooks/webhooks-hsmeta.json',
      json: { uid: `${app.uid}_webhooks`, type: 'webhooks', config: resolvedWebhooks },
    },
  ];
}
