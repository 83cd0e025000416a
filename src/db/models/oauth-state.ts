/** `oauth_states`: one document per OAuth `state` handed out; marked used on its single use. */
import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';

const oauthStateSchema = new Schema(
  {
    _id: { type: String, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    usedAt: { type: Date },
    /** Why the person went to HubSpot: `install` (default) or `signin`. */
    purpose: { type: String, enum: ['install', 'signin'] },
  },
  { collection: 'oauth_states', strict: 'throw', versionKey: false },
);

export type OAuthStateDocument = InferSchemaType<typeof oauthStateSchema>;

export function oauthStateModel(connection: Connection): Model<OAuthStateDocument> {
  return (connection.models.OAuthState as Model<OAuthStateDocument>) ?? connection.model('OAuthState', oauthStateSchema);
}
