import type { Registry } from '@gantry/observability';
import express, { type Express, type IRouter, type Request, type Response } from 'express';
import { requireScope } from '../http/authenticate.js';

const serve = (metrics: Registry) => async (_req: Request, res: Response) => {
  res.type(metrics.contentType).send(await metrics.metrics());
};

/** `/metrics` on the public listener answers only a `platform` key: it shows every tenant's traffic. */
export function metricsRoute(router: IRouter, metrics: Registry): void {
  router.get('/metrics', requireScope('platform'), serve(metrics));
}

/** The listener Prometheus scrapes (GATEWAY_METRICS_PORT): `/metrics` only, without a key. */
export function createMetricsServer(metrics: Registry): Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/metrics', serve(metrics));
  app.use((_req: Request, res: Response) => {
    res.status(404).end();
  });
  app.use((_error: unknown, _req: Request, res: Response, _next: express.NextFunction) => {
    res.status(500).end();
  });
  return app;
}
