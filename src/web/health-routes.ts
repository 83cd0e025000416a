import { Router } from 'express';
import type { Connection } from 'mongoose';
import { isMongoReady } from '../db/connect-mongo.ts';

/** `/healthz`: the process is up. `/readyz`: it can do work (MongoDB answers), else 503. */
export function healthRoutes(connection: Connection): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const mongodb = await isMongoReady(connection);
    res.status(mongodb ? 200 : 503).json({ status: mongodb ? 'ready' : 'unavailable', mongodb: mongodb ? 'up' : 'down' });
  });
  return router;
}
