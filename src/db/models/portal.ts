/**
 * `portals`: one document per HubSpot portal (hub id), however often it is re-installed. After an
 * uninstall it stays as the audit record (ids and times only): tokens and data are gone.
 */
import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';

const sealedSecret = new Schema({ keyId: { type: String, required: true }, data: { type: String, required: true } }, { _id: false });

const portalSchema = new Schema(
  {
    portalId: { type: Number, required: true },
    /** `needs-reauthorisation`: HubSpot refuses the tokens; data kept, nothing requested until installed again. */
    status: { type: String, enum: ['installed', 'needs-reauthorisation', 'uninstalled'], required: true },
    reauthorisation: { type: new Schema({ reason: { type: String, required: true }, since: { type: Date, required: true } }, { _id: false }) },
    hubDomain: { type: String },
    scopes: { type: [String], default: undefined },
    installedBy: { type: new Schema({ userId: Number, email: String }, { _id: false }) },
    firstInstalledAt: { type: Date, required: true },
    installedAt: { type: Date, required: true },
    installCount: { type: Number, default: 1 },
    uninstalledAt: { type: Date },
    uninstallReason: { type: String },
    tokens: {
      type: new Schema(
        {
          access: { type: sealedSecret, required: true },
          refresh: { type: sealedSecret, required: true },
          issuedAt: { type: Date, required: true },
          expiresAt: { type: Date, required: true },
          /** Bumped by every refresh: a process holding an older token knows to reload. */
          version: { type: Number, required: true },
        },
        { _id: false },
      ),
    },
    /** Propensity's output properties that exist in the portal with another type (the admin must fix them). */
    outputPropertyProblems: { type: [new Schema({ objectType: String, name: String, problem: String }, { _id: false })], default: undefined },
    /** A process refreshing the tokens holds this lease so no other process burns the refresh token. */
    tokenRefreshLease: { type: new Schema({ holder: String, until: Date }, { _id: false }) },
  },
  { collection: 'portals', timestamps: true, strict: 'throw' },
);

export type PortalDocument = InferSchemaType<typeof portalSchema>;

export function portalModel(connection: Connection): Model<PortalDocument> {
  return (connection.models.Portal as Model<PortalDocument>) ?? connection.model('Portal', portalSchema);
}
