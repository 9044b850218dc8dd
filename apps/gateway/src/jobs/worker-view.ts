import { hash } from 'node:crypto';
import type { JobObject } from '@gantry/contracts';
import type { Request } from 'express';
import { hasScope } from '../http/authenticate.js';

/**
 * A worker's id names its host and pid (`<app>-<host>-<pid>-<random>`), which only the platform may see.
 * Other keys get a stable stand-in: the same worker keeps the same public id in jobs, events and
 * `/v1/workers`.
 */
export const publicWorkerId = (workerId: string): string => `w_${hash('sha256', workerId).slice(0, 16)}`;

/** The worker id as this request's key may see it. */
export function workerIdFor(req: Request, workerId: string): string {
  return hasScope(req, 'platform') ? workerId : publicWorkerId(workerId);
}

/** A job as this request's key may see it. */
export function jobFor<T extends JobObject | null>(req: Request, job: T): T {
  if (!job?.worker) return job;
  return { ...job, worker: workerIdFor(req, job.worker) };
}
