/**
 * `GET /hubspot/crm-card`: the data HubSpot shows in Propensity's card on a contact or company
 * record (HubSpot's CRM card data fetch). HubSpot signs every outgoing request to an OAuth app, CRM
 * card fetches included, with v3 and `X-HubSpot-Request-Timestamp`, older signatures alongside
 * (https://developers.hubspot.com/changelog/introducing-version-3-of-webhook-signatures). Only v3 is
 * accepted, at most 5 minutes old: a v2 signature has no timestamp, so a captured request could be
 * replayed forever. Anything else gets 401. The
 * answer is HubSpot's card shape: `{ results: [{ objectId, title, properties: [{ label, dataType, value }] }] }`,
 * with the score, tier, top reasons and the decision, as last concluded.
 */
import { Router, type Request } from 'express';
import type { Connection } from 'mongoose';
import { portalModel } from '../db/models/portal.ts';
import { recordScoreModel } from '../db/models/record-score.ts';
import type { HubSpotApp } from '../hubspot/hubspot-app.ts';
import { fromPairs } from '../writeback/score-properties.ts';
import { verifySignatureV3, type SignatureVerdict } from '../webhooks/verify-signature.ts';

export const CRM_CARD_PATH = '/hubspot/crm-card';

export interface CardProperty {
  label: string;
  dataType: 'STRING' | 'NUMERIC' | 'STATUS' | 'DATE';
  value: string | number;
}

export interface CrmCardResponse {
  results: { objectId: number; title: string; properties: CardProperty[] }[];
}

const objectTypes: Record<string, 'contacts' | 'companies'> = { CONTACT: 'contacts', COMPANY: 'companies' };

/** The card for one record from its stored output values (empty `results` when it is not scored yet). Pure. */
export function crmCardResult(objectId: number, values: Record<string, string> | undefined): CrmCardResponse {
  if (!values || (values.propensity_enrolment ?? '') === '') return { results: [] };
  const lead = (values.propensity_lead_score ?? '') !== '';
  const properties: CardProperty[] = [
    { label: lead ? 'Lead score' : 'Churn risk', dataType: 'NUMERIC', value: Number(lead ? values.propensity_lead_score : values.propensity_churn_risk) },
    { label: 'Tier', dataType: 'STRING', value: (lead ? values.propensity_lead_tier : values.propensity_churn_tier) ?? '' },
    { label: 'Top reasons', dataType: 'STRING', value: (lead ? values.propensity_lead_reasons : values.propensity_churn_reasons) ?? '' },
    { label: 'Decision', dataType: 'STATUS', value: values.propensity_enrolment },
    { label: 'Why', dataType: 'STRING', value: values.propensity_enrolment_reason ?? '' },
    { label: 'Model', dataType: 'STRING', value: values.propensity_model_version ?? '' },
  ];
  return { results: [{ objectId, title: lead ? 'Propensity: chance of becoming a customer' : 'Propensity: churn risk', properties }] };
}

/** The v3 signature, with its timestamp at most 5 minutes old; a request signed only v1/v2 is refused (replayable). */
export function verifyCardRequest(app: HubSpotApp, req: Request, now = Date.now()): SignatureVerdict {
  const signed = { method: req.method, uri: `${app.publicUrl}${req.originalUrl}`, rawBody: Buffer.alloc(0) };
  return verifySignatureV3(app.clientSecret, { ...signed, signature: req.get('x-hubspot-signature-v3'), timestamp: req.get('x-hubspot-request-timestamp') }, now);
}

export function crmCardRoutes(deps: { connection: Connection; app: HubSpotApp }): Router {
  const router = Router();
  router.get(CRM_CARD_PATH, async (req, res) => {
    const verdict = verifyCardRequest(deps.app, req);
    if (!verdict.valid) {
      req.log.warn({ reason: verdict.reason }, 'CRM card request rejected: signature');
      res.status(401).json({ status: 'error', message: `Invalid signature (${verdict.reason})` });
      return;
    }
    const { portalId, associatedObjectId, associatedObjectType } = req.query;
    const objectType = typeof associatedObjectType === 'string' ? objectTypes[associatedObjectType.toUpperCase()] : undefined;
    if (typeof portalId !== 'string' || !/^\d{1,15}$/.test(portalId) || typeof associatedObjectId !== 'string' || !/^\d{1,20}$/.test(associatedObjectId) || !objectType) {
      res.status(400).json({ status: 'error', message: 'Expected portalId, associatedObjectId and associatedObjectType CONTACT or COMPANY' });
      return;
    }
    const portal = Number(portalId);
    if (!(await portalModel(deps.connection).exists({ portalId: portal, status: 'installed' }))) {
      res.json({ results: [] });
      return;
    }
    const score = await recordScoreModel(deps.connection).findOne({ portalId: portal, objectType, objectId: associatedObjectId }, { values: 1 }).lean();
    res.json(crmCardResult(Number(associatedObjectId), score ? fromPairs(score.values) : undefined));
  });
  return router;
}
