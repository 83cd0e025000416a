// migrate-mongo ships no type declarations; these cover the calls src/db/migrate.ts makes.
declare module 'migrate-mongo' {
  import type { mongo } from 'mongoose';
  export const config: { set(content: Record<string, unknown>): void };
  export function up(db: mongo.Db, client: mongo.MongoClient): Promise<string[]>;
  export function status(db: mongo.Db): Promise<{ fileName: string; appliedAt: string | Date }[]>;
}
