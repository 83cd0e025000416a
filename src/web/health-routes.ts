import { Router } from 'express';
import type { Connection } from 'mongoose';
import { isMongoReady } from '../db/connect-mongo.ts';

/** Something a request needs besides MongoDB itself (the session store), and how to ask it. */
export type ReadinessChecks = Record<string, () => Promise<boolean>>;

/**
 * `/healthz`: the process is up. `/readyz`: it can do work — MongoDB answers and so does every other
 * check given (the session store every signed-in request reads) — else 503, naming what is down.
 */
export function healthRoutes(connection: Connection, checks: ReadinessChecks = {}): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const mongodb = await isMongoReady(connection);
    const others = await Promise.all(Object.entries(checks).map(async ([name, check]) => [name, mongodb && (await check().catch(() => false))] as const));
    const ready = mongodb && others.every(([, up]) => up);
    res.status(ready ? 200 : 503).json({
      status: ready ? 'ready' : 'unavailable',
      mongodb: mongodb ? 'up' : 'down',
      ...Object.fromEntries(others.map(([name, up]) => [name, up ? 'up' : 'down'])),
    });
  });
  return router;
}
