import { type Request, type Response, type IRouter } from 'express';
import type { JobCatalogue } from '../catalogue/job-catalogue.js';

/** `GET /v1/job-types`: every job type this gateway accepts, with its JSON schemas. */
export function catalogueRoutes(
  router: IRouter,
  catalogue: JobCatalogue,
  refreshCatalogue: () => Promise<void>,
): void {
  router.get('/v1/job-types', async (_req: Request, res: Response) => {
    const entries = await catalogue.listFresh(refreshCatalogue);
    res.json({
      data: entries.map((entry) => ({
        type: entry.type,
        queue: entry.queue,
        summary: entry.summary,
        source: entry.source,
        defaults: {
          attempts: entry.defaults.attempts,
          backoff_ms: entry.defaults.backoffMs,
          timeout_ms: entry.defaults.timeoutMs,
        },
        errors: entry.errors,
        accepts: entry.accepts,
        input_schema: entry.inputSchema,
        output_schema: entry.outputSchema,
      })),
    });
  });
}
