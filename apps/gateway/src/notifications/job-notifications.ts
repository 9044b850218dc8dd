import { JobStatus } from '@gantry/contracts';
import { type RecordEntry, toJobObject } from '@gantry/job-state';
import { findNotifiedJobs } from '@gantry/job-store';
import type pg from 'pg';
import type { NewNotification, NotificationLog } from './notification-log.js';
import type { NotificationQueue } from './notification-queue.js';

/**
 * The recorder's hook: of a recorded batch's status changes, those a job's webhook or e-mail asked for
 * become notifications (Standard Webhooks payload: `type`, `timestamp`, `data` — the job as recorded), and
 * their deliveries are queued. It runs before the batch is settled, and repeats nothing when a batch is
 * read again: a notification's id follows from its job, status and channel.
 */
export function notifyRecordedJobs(deps: {
  pool: pg.Pool;
  log: NotificationLog;
  queue: NotificationQueue;
}): (entries: readonly RecordEntry[]) => Promise<void> {
  return async (entries) => {
    const jobs = await findNotifiedJobs(deps.pool, [...new Set(entries.map((entry) => entry.jobId))]);
    if (jobs.length === 0) return;
    const byId = new Map(jobs.map((job) => [job.id, job]));
    const notifications: NewNotification[] = [];
    for (const entry of entries) {
      const job = byId.get(entry.jobId);
      const status = JobStatus.safeParse(entry.status);
      if (!job || !status.success) continue;
      const event = `job.${status.data}`;
      const subject = { kind: 'job', id: job.id, tenant: job.tenant } as const;
      const payload = { type: event, timestamp: entry.at, data: toJobObject(job) };
      if (job.webhook?.events.includes(status.data)) {
        notifications.push({ subject, event, channel: 'webhook', target: { url: job.webhook.url }, payload });
      }
      if (job.email?.events.includes(status.data)) {
        notifications.push({ subject, event, channel: 'email', target: { to: job.email.to }, payload });
      }
    }
    await deps.queue.deliver(await deps.log.record(notifications));
  };
}
