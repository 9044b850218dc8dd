import type { ControlClient } from '@gantry/control-plane';
import { GantryError, type WorkerAnnouncement } from '@gantry/contracts';
import type { JobProducer } from '@gantry/queue-runtime';
import { type Request, type Response, type IRouter } from 'express';
import { hasScope, requireScope } from '../http/authenticate.js';
import { publicWorkerId } from '../jobs/worker-view.js';

const queueName = (req: Request) => {
  const queue = String(req.params['queue']);
  if (!/^[a-z0-9][a-z0-9_-]{0,63}$/.test(queue)) throw new GantryError('BAD_REQUEST', 'invalid queue name');
  return queue;
};

/**
 * A worker as a tenant sees it: no host, no pid, and an id that names neither (the real id carries both;
 * the same worker keeps the same public id).
 */
function tenantView(worker: WorkerAnnouncement): Omit<WorkerAnnouncement, 'host' | 'pid'> {
  const { host: _host, pid: _pid, ...rest } = worker;
  return { ...rest, id: publicWorkerId(worker.id) };
}

/** Live workers, and the platform's controls: pause/resume a queue, drain a worker. */
export function workerRoutes(router: IRouter, control: ControlClient, producer: JobProducer): void {
  router.get('/v1/workers', requireScope('jobs'), async (req: Request, res: Response) => {
    const queue = typeof req.query['queue'] === 'string' ? req.query['queue'] : undefined;
    const workers = await control.listWorkers(queue ? { queue } : {});
    res.json({ data: hasScope(req, 'platform') ? workers : workers.map(tenantView) });
  });

  router.post('/v1/queues/:queue/pause', requireScope('platform'), async (req: Request, res: Response) => {
    const queue = queueName(req);
    // BullMQ's pause is atomic in Redis: no worker starts a job of the queue after it, even one
    // blocked in a fetch; the control plane then tells the workers (and their announcements) why.
    await producer.queue(queue).pause();
    await control.pauseQueue(queue);
    res.json({ queue, paused: true });
  });

  router.post('/v1/queues/:queue/resume', requireScope('platform'), async (req: Request, res: Response) => {
    const queue = queueName(req);
    await control.resumeQueue(queue);
    await producer.queue(queue).resume();
    res.json({ queue, paused: false });
  });

  router.post('/v1/workers/:id/drain', requireScope('platform'), async (req: Request, res: Response) => {
    await control.drainWorker(String(req.params['id']));
    res.status(202).json({ worker: req.params['id'], draining: true });
  });
}
