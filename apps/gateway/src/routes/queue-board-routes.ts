import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { JobProducer } from '@gantry/queue-runtime';
import type { Express, NextFunction, Request, Response } from 'express';
import type { JobCatalogue } from '../catalogue/job-catalogue.js';
import { requireScope } from '../http/authenticate.js';

const queueBoardPath = '/admin/queues';

/**
 * bull-board at `/admin/queues`, for a `platform` key only, on every request — the page, its API and its
 * static assets alike. A browser sends no `Authorization` header on its own, so operators open it through
 * a proxy that adds one (`mitmproxy`, nginx `proxy_set_header`, an ingress auth hook; README "Queue UI").
 * A cookie set after one keyed request was the alternative; it would have made a second credential with
 * its own lifetime, CSRF exposure and revocation story, while the header keeps the one deny-by-default
 * check every other route has (no path here is public). Read-only: a job's state lives in Gantry's own
 * store and PostgreSQL, which a retry, removal or promotion done behind their back would contradict.
 */
export function queueBoardRoutes(app: Express, catalogue: JobCatalogue, producer: JobProducer): void {
  const adapter = new ExpressAdapter();
  adapter.setBasePath(queueBoardPath);
  const board = createBullBoard({ queues: [], serverAdapter: adapter });
  const shown = new Set<string>();
  // A queue may appear with a worker's announcement after boot: each request adds the new ones.
  const showCatalogueQueues = (_req: Request, _res: Response, next: NextFunction) => {
    for (const { queue } of catalogue.list()) {
      if (shown.has(queue)) continue;
      shown.add(queue);
      board.addQueue(new BullMQAdapter(producer.queue(queue), { readOnlyMode: true }));
    }
    next();
  };
  app.use(queueBoardPath, requireScope('platform'), showCatalogueQueues, adapter.getRouter());
}
