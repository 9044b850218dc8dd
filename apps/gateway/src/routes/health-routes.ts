import type { Redis } from 'ioredis';
import { type Request, type Response, type IRouter } from 'express';
import type pg from 'pg';

const within = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms)),
  ]);

/** `/healthz` (the process answers) and `/readyz` (Redis and Postgres reachable), both without a key. */
export function healthRoutes(router: IRouter, deps: { redis: Redis; pool: pg.Pool }): void {
  router.get('/healthz', (_req: Request, res: Response) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req: Request, res: Response) => {
    const [redis, database] = await Promise.allSettled([
      within(deps.redis.ping(), 1_000),
      within(deps.pool.query('SELECT 1'), 1_000),
    ]);
    const checks = { redis: redis.status === 'fulfilled', database: database.status === 'fulfilled' };
    const ready = checks.redis && checks.database;
    if (!ready) res.setHeader('Retry-After', '2');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', checks });
  });
}
