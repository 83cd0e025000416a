/**
 * Injected trouble, for tests of the app's resilience (off by default): a seeded share of API
 * requests answered 429 or 502, and a share that stall before they are served.
 */
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { apiContext } from './api-context.ts';
import type { SandboxState } from './sandbox-state.ts';

export function injectFaults(state: SandboxState) {
  return async (_req: Request, res: Response, next: NextFunction) => {
    const { errorRate, stallRate, stallMs } = state.faults;
    if (stallRate > 0 && state.random() < stallRate) {
      state.count(`stall:${apiContext(res).portal.id}`);
      await new Promise((resolve) => setTimeout(resolve, stallMs));
    }
    if (errorRate > 0 && state.random() < errorRate) {
      const { portal } = apiContext(res);
      state.count(`fault:${portal.id}`);
      if (state.random() < 0.5) {
        res.status(502).type('html').send('<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>');
      } else {
        res.status(429).json({ status: 'error', message: 'You have reached your ten_secondly_rolling limit.', errorType: 'RATE_LIMIT', correlationId: randomUUID(), policyName: 'TEN_SECONDLY_ROLLING' });
      }
      return;
    }
    next();
  };
}
