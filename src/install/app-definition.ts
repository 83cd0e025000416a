/**
 * `app.json` (HubSpot's app component) is the single source of truth for the app's name, scopes and
 * redirect URLs; `webhooks/webhooks.json` for its webhook subscriptions. Both are read here, at run
 * time, and validated so a broken edit fails loudly at start-up.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const appDefinitionSchema = z.object({
  uid: z.string().regex(/^[A-Za-z0-9_-]+$/),
  type: z.literal('app'),
  config: z.object({
    name: z.string().min(1),
    description: z.string().min(1),
    distribution: z.literal('marketplace'),
    auth: z.object({
      type: z.literal('oauth'),
      redirectUrls: z.array(z.string().min(1)).min(1),
      requiredScopes: z.array(z.string().min(1)).min(1),
      optionalScopes: z.array(z.string().min(1)),
    }),
    permittedUrls: z.record(z.string(), z.array(z.string())).optional(),
    support: z.object({ supportEmail: z.string().min(1) }).catchall(z.string()),
  }),
});

const subscriptionSchema = z.object({
  subscriptionType: z.string().regex(/^(object|contact|company|deal)\.[A-Za-z]+$/),
  objectType: z.string().optional(),
  propertyName: z.string().optional(),
  active: z.boolean(),
});

const webhooksDefinitionSchema = z.object({
  settings: z.object({ targetUrl: z.string().min(1), maxConcurrentRequests: z.number().int().min(5).max(20) }),
  subscriptions: z.object({
    crmObjects: z.array(subscriptionSchema).default([]),
    legacyCrmObjects: z.array(subscriptionSchema).default([]),
    hubEvents: z.array(subscriptionSchema).default([]),
  }),
});

export type AppDefinition = z.infer<typeof appDefinitionSchema>;
export type WebhooksDefinition = z.infer<typeof webhooksDefinitionSchema>;
export type WebhookSubscription = z.infer<typeof subscriptionSchema>;

/** The `${PUBLIC_URL}` placeholder in both files is replaced by the deployment's public URL. */
export const PUBLIC_URL_PLACEHOLDER = '${PUBLIC_URL}';

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${path.relative(projectRoot, file)}: ${(error as Error).message}`);
  }
}

function parse<T>(schema: z.ZodType<T>, file: string): T {
  const result = schema.safeParse(readJson(file));
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`${path.relative(projectRoot, file)}: ${issue.path.join('.')}: ${issue.message}`);
  }
  return result.data;
}

export function loadAppDefinition(file = path.join(projectRoot, 'app.json')): AppDefinition {
  return parse(appDefinitionSchema, file);
}

export function loadWebhooksDefinition(file = path.join(projectRoot, 'webhooks', 'webhooks.json')): WebhooksDefinition {
  return parse(webhooksDefinitionSchema, file);
}

/** Replaces `${PUBLIC_URL}` in every string of a JSON value. */
export function withPublicUrl<T>(value: T, publicUrl: string): T {
  return JSON.parse(JSON.stringify(value).split(PUBLIC_URL_PLACEHOLDER).join(publicUrl.replace(/\/+$/, ''))) as T;
}
