import type { ControlClient } from '@gantry/control-plane';
import { GantryError } from '@gantry/contracts';
import type { JobProducer } from '@gantry/queue-runtime';
import { type Request, type Response, type IRouter } from 'express';
import { requireScope } from '../http/authenticate.js';

const queueName = (req: Request) => {
  const queue = String(req.params['queue']);
  if (!/^[a-z0-9][a-z0-9_-]{0,63}$/.test(queue)) throw new GantryError('BAD_REQUEST', 'invalid queue name');
  return queue;
};

/** Live workers, and the admin controls: pause/resume a queue, drain a worker. */
export function workerRoutes(router: IRouter, control: ControlClient, producer: JobProducer): void {
  router.get('/v1/workers', requireScope('jobs'), async (req: Request, res: Response) => {
    const queue = typeof req.query['queue'] === 'string' ? req.query['queue'] : undefined;
    res.json({ data: await control.listWorkers(queue ? { queue } : {}) });
  });

  router.post('/v1/queues/:queue/pause', requireScope('admin'), async (req: Request, res: Response) => {
    const queue = queueName(req);
    // BullMQ's pause is atomic in Redis: no worker starts a job of the queue after it, even one
    // blocked in a fetch; the control plane then tells the workers (and their announcements) why.
    await producer.queue(queue).pause();
    await control.pauseQueue(queue);
    res.json({ queue, paused: true });
  });

  router.post('/v1/queues/:queue/resume', requireScope('admin'), async (req: Request, res: Response) => {
    const queue = queueName(req);
    await control.resumeQueue(queue);
    await producer.queue(queue).resume();
    res.json({ queue, paused: false });
  });

  router.post('/v1/workers/:id/drain', requireScope('admin'), async (req: Request, res: Response) => {
    await control.drainWorker(String(req.params['id']));
    res.status(202).json({ worker: req.params['id'], draining: true });
  });
}
