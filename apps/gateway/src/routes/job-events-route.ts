import { isTerminal, type JobObject } from '@gantry/contracts';
import type { JobEvent, JobStateStore } from '@gantry/job-state';
import { type Request, type Response, type IRouter } from 'express';
import { requireScope, tenantOf } from '../http/authenticate.js';
import { notFound } from '../http/send-error.js';
import type { JobEventsHub } from '../jobs/job-events-hub.js';
import type { JobReader } from '../jobs/job-reader.js';
import { workerIdFor } from '../jobs/worker-view.js';
import type { TenantHolds } from '../limits/tenant-holds.js';

/** Redis stream ids (`ms-seq`) compare as pairs of numbers. */
const after = (a: string, b: string) => {
  const [am = 0, as = 0] = a.split('-').map(Number);
  const [bm = 0, bs = 0] = b.split('-').map(Number);
  return am > bm || (am === bm && as > bs);
};

const streamId = /^\d{1,20}-\d{1,20}$/;
/** Each part of a Redis stream id is a 64-bit unsigned number. */
const maxPart = 2n ** 64n - 1n;

/**
 * A `Last-Event-ID` Redis can read after: a stream id whose parts fit 64 bits, short of the very last id
 * (nothing can follow it). Any other value is no resume point: the client starts over with the current state.
 */
function resumePoint(header: string | undefined): string | undefined {
  const id = streamId.exec(header ?? '')?.[0];
  if (!id) return undefined;
  const [ms, seq] = id.split('-').map(BigInt) as [bigint, bigint];
  return ms > maxPart || seq > maxPart || (ms === maxPart && seq === maxPart) ? undefined : id;
}

/** The id just after a stream id: a synthetic event sorts after what the client last saw. */
const next = (id: string) => {
  const [ms, seq] = id.split('-').map(BigInt) as [bigint, bigint];
  return seq === maxPart ? `${ms + 1n}-0` : `${ms}-${seq + 1n}`;
};

/**
 * `GET /v1/jobs/{id}/events`: Server-Sent Events. A new subscriber first gets the job as it is
 * now; `Last-Event-ID` resumes after that event instead. The stream ends after `completed`, and at once
 * for a finished job whose stream has nothing after the resume point (or has expired): the client then
 * gets the job as it is and `completed`, not a stream that never ends. A finished job's event stream
 * leaves Redis once PostgreSQL has the job, so that is the common case of a late resume. Each open stream
 * holds one of the tenant's event stream quota.
 */
export function jobEventsRoute(
  router: IRouter,
  deps: {
    reader: JobReader;
    store: JobStateStore;
    hub: JobEventsHub;
    holds: TenantHolds;
    /** Aborted when the gateway stops: open streams end, and their clients resume from another replica. */
    stopping: AbortSignal;
  },
): void {
  router.get('/v1/jobs/:id/events', requireScope('jobs'), async (req: Request, res: Response) => {
    const id = String(req.params['id']);
    const tenant = tenantOf(req);
    const job = await deps.reader.get(tenant, id);
    if (!job) throw notFound('job', id);
    const hold = await deps.holds.acquire(tenant, 'event_streams');
    try {
      await follow(req, res, tenant, job, deps, hold.release);
    } catch (error) {
      hold.release();
      throw error;
    }
  });
}

async function follow(
  req: Request,
  res: Response,
  tenant: string,
  found: JobObject,
  deps: { reader: JobReader; store: JobStateStore; hub: JobEventsHub; stopping: AbortSignal },
  release: () => void,
): Promise<void> {
  const id = found.id;
  let job = found;

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
    release();
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
    res.write(`id: ${eventId}\nevent: ${name}\ndata: ${JSON.stringify(visible(req, data))}\n\n`);
    lastId = eventId;
    if (name === 'completed') finish();
  };
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
  const finish = () => {
    if (ended) return;
    ended = true;
    clearInterval(heartbeat);
    deps.stopping.removeEventListener('abort', finish);
    off();
    release();
    res.end();
  };
  req.on('close', finish);
  deps.stopping.addEventListener('abort', finish, { once: true });

  // A resume point that is not a stream id is ignored: the client starts over with the current state.
  const resumeFrom = resumePoint(req.header('last-event-id'));
  if (resumeFrom) {
    for (const event of await deps.store.eventsSince(id, resumeFrom)) write(event.id, event.name, event.data);
    if (!ended && live.length === 0 && !isTerminal(job.status)) {
      // No event past the client's: the job may have ended and left Redis (recorded) meanwhile.
      job = (await deps.reader.get(tenant, id)) ?? job;
    }
  }
  if (!resumeFrom || (!ended && isTerminal(job.status))) {
    const eventId = (await deps.store.lastEventId(id)) ?? (resumeFrom ? next(resumeFrom) : '0-1');
    // Read again now that the channel is subscribed and the last id is known: a job that ended after the
    // first read (before the subscription) would otherwise get a stream that never sends `completed`.
    if (!isTerminal(job.status)) job = (await deps.reader.get(tenant, id)) ?? job;
    sendCurrentState(job, eventId, write);
  }
  replaying = false;
  for (const event of live) if (after(event.id, lastId)) write(event.id, event.name, event.data);
  // Opened while the gateway was stopping: the client has the current state and resumes elsewhere.
  if (deps.stopping.aborted) finish();
}

/** An event's data as the request's key may see it: a `running` status names its worker. */
function visible(req: Request, data: unknown): unknown {
  const worker = (data as { worker?: unknown } | null)?.worker;
  return typeof worker === 'string' ? { ...(data as object), worker: workerIdFor(req, worker) } : data;
}

function sendCurrentState(
  job: JobObject,
  eventId: string,
  write: (id: string, name: string, data: unknown) => void,
) {
  write(eventId, 'status', job);
  if (isTerminal(job.status)) write(eventId, 'completed', { status: job.status });
}
