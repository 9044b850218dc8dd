import { isTerminal, type JobObject } from '@gantry/contracts';
import type { JobEvent, JobStateStore } from '@gantry/job-state';
import { type Request, type Response, type IRouter } from 'express';
import { requireScope, tenantOf } from '../http/authenticate.js';
import { notFound } from '../http/send-error.js';
import type { JobEventsHub } from '../jobs/job-events-hub.js';
import type { JobReader } from '../jobs/job-reader.js';

/** Redis stream ids (`ms-seq`) compare as pairs of numbers. */
const after = (a: string, b: string) => {
  const [am = 0, as = 0] = a.split('-').map(Number);
  const [bm = 0, bs = 0] = b.split('-').map(Number);
  return am > bm || (am === bm && as > bs);
};

/** The id just after a stream id: a synthetic event sorts after what the client last saw. */
const next = (id: string) => {
  const [ms = 0, seq = 0] = id.split('-').map(Number);
  return `${ms}-${seq + 1}`;
};

/**
 * `GET /v1/jobs/{id}/events`: Server-Sent Events. A new subscriber first gets the job as it is
 * now; `Last-Event-ID` resumes after that event instead. The stream ends after `completed`. A
 * finished job's event stream leaves Redis once PostgreSQL has the job: a resume then gets the
 * job's final state and `completed`.
 */
export function jobEventsRoute(
  router: IRouter,
  deps: { reader: JobReader; store: JobStateStore; hub: JobEventsHub },
): void {
  router.get('/v1/jobs/:id/events', requireScope('jobs'), async (req: Request, res: Response) => {
    const id = String(req.params['id']);
    const job = await deps.reader.get(tenantOf(req), id);
    if (!job) throw notFound('job', id);

    let lastId = '0-0';
    let ended = false;
    const live: JobEvent[] = [];
    let replaying = true;
    // Subscribed before the stream is read back, so no event can fall between the two.
    const off = await deps.hub.on(id, (event) => {
      if (replaying) live.push(event);
      else if (after(event.id, lastId)) write(event.id, event.name, event.data);
    });
    if (req.destroyed) {
      off();
      return;
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    const write = (eventId: string, name: string, data: unknown) => {
      if (ended) return;
      res.write(`id: ${eventId}\nevent: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
      lastId = eventId;
      if (name === 'completed') finish();
    };
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    const finish = () => {
      ended = true;
      clearInterval(heartbeat);
      off();
      res.end();
    };
    req.on('close', finish);

    const resumeFrom = req.header('last-event-id');
    if (resumeFrom) {
      for (const event of await deps.store.eventsSince(id, resumeFrom))
        write(event.id, event.name, event.data);
      if (!ended && live.length === 0) {
        // No event past the client's: the job may have ended and left Redis (recorded) meanwhile.
        const now = isTerminal(job.status) ? job : await deps.reader.get(tenantOf(req), id);
        if (now && isTerminal(now.status))
          sendCurrentState(now, next(after(lastId, resumeFrom) ? lastId : resumeFrom), write);
      }
    } else {
      sendCurrentState(job, (await deps.store.lastEventId(id)) ?? '0-1', write);
    }
    replaying = false;
    for (const event of live) if (after(event.id, lastId)) write(event.id, event.name, event.data);
  });
}

function sendCurrentState(
  job: JobObject,
  eventId: string,
  write: (id: string, name: string, data: unknown) => void,
) {
  write(eventId, 'status', job);
  if (isTerminal(job.status)) write(eventId, 'completed', { status: job.status });
}
