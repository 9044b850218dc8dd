import { GantryError, type JobHistory, JobStatus } from '@gantry/contracts';
import { toJobObject } from '@gantry/job-state';
import type { JobRepository } from '@gantry/job-store';
import type { JobProducer } from '@gantry/queue-runtime';
import { type Request, type Response, type IRouter } from 'express';
import { z } from 'zod';
import { requireScope, tenantOf } from '../http/authenticate.js';
import { notFound } from '../http/send-error.js';
import type { JobReader } from '../jobs/job-reader.js';
import { jobFor, workerIdFor } from '../jobs/worker-view.js';

const ListQuery = z.object({
  type: z.string().optional(),
  status: z
    .string()
    .transform((value) => value.split(','))
    .pipe(z.array(JobStatus))
    .optional(),
  created_after: z.iso.datetime({ offset: true }).optional(),
  created_before: z.iso.datetime({ offset: true }).optional(),
  cursor: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export interface ReadJobDeps {
  reader: JobReader;
  repository: JobRepository;
  producer: JobProducer;
}

/** Get, list and cancel jobs. */
export function readJobRoutes(router: IRouter, deps: ReadJobDeps): void {
  router.get('/v1/jobs/:id', requireScope('jobs'), async (req: Request, res: Response) => {
    const id = String(req.params['id']);
    const job = await deps.reader.get(tenantOf(req), id);
    if (!job) throw notFound('job', id);
    res.json(jobFor(req, job));
  });

  // The status changes PostgreSQL has recorded (a job's event stream leaves Redis once it is recorded).
  router.get('/v1/jobs/:id/history', requireScope('jobs'), async (req: Request, res: Response) => {
    const id = String(req.params['id']);
    const tenant = tenantOf(req);
    if (!(await deps.reader.get(tenant, id))) throw notFound('job', id);
    const history: JobHistory = {
      data: (await deps.repository.history(tenant, id)).map(({ seq, status, at, data }) => ({
        seq,
        status,
        at,
        data:
          typeof data['worker'] === 'string' ? { ...data, worker: workerIdFor(req, data['worker']) } : data,
      })),
    };
    res.json(history);
  });

  router.get('/v1/jobs', requireScope('jobs'), async (req: Request, res: Response) => {
    const query = ListQuery.safeParse(req.query);
    if (!query.success) {
      throw new GantryError('VALIDATION_FAILED', 'bad list query', {
        details: {
          issues: query.error.issues.map((i) => ({ path: i.path, message: i.message, code: i.code })),
        },
      });
    }
    const q = query.data;
    const page = await deps.repository.list({
      tenant: tenantOf(req),
      limit: q.limit,
      ...(q.type ? { type: q.type } : {}),
      ...(q.status ? { status: q.status } : {}),
      ...(q.created_after ? { createdAfter: q.created_after } : {}),
      ...(q.created_before ? { createdBefore: q.created_before } : {}),
      ...(q.cursor ? { cursor: q.cursor } : {}),
    });
    res.json({ data: page.rows.map((row) => jobFor(req, toJobObject(row))), next_cursor: page.nextCursor });
  });

  router.post('/v1/jobs/:id/cancel', requireScope('jobs'), async (req: Request, res: Response) => {
    const id = String(req.params['id']);
    const tenant = tenantOf(req);
    const job = await deps.reader.get(tenant, id);
    if (!job) throw notFound('job', id);
    const result = await deps.producer.cancel(id);
    if (!result.applied) {
      throw new GantryError(
        'JOB_NOT_CANCELABLE',
        `job ${id} already ended (${result.current ?? job.status})`,
        {
          details: { status: result.current ?? job.status },
        },
      );
    }
    res.status(202).json(jobFor(req, await deps.reader.get(tenant, id)));
  });
}
