import { GantryError } from '@gantry/contracts';
import { type Request, type Response, type IRouter } from 'express';
import { requireScope, tenantOf } from '../http/authenticate.js';
import { notFound } from '../http/send-error.js';
import type { JobReader } from '../jobs/job-reader.js';
import type {
  Notification,
  NotificationChannel,
  NotificationLog,
  NotificationSubject,
} from '../notifications/notification-log.js';
import type { NotificationQueue } from '../notifications/notification-queue.js';
import type { WebhookSecrets } from '../notifications/webhook-secrets.js';

export interface NotificationRouteDeps {
  reader: JobReader;
  secrets: WebhookSecrets;
  log: NotificationLog;
  queue: NotificationQueue;
  /** After a rotation, how long the previous secret still signs (WEBHOOK_SECRET_GRACE_S). */
  secretGraceSeconds: number;
}

const channels = { webhook: 'webhook-deliveries', email: 'email-deliveries' } as const;

/** A delivery as the API answers it: the message, its target, its status and every attempt. */
function toDelivery(notification: Notification, base: string) {
  return {
    id: notification.id,
    event: notification.event,
    ...notification.target,
    status: notification.status,
    created_at: notification.created_at,
    updated_at: notification.updated_at,
    attempts: notification.attempts,
    urls: { redeliver: `${base}/${notification.id}/redeliver` },
  };
}

/**
 * The tenant's webhook signing secret (`admin`: created or rotated, shown in this answer only), and each
 * job's delivery log per channel with manual redelivery (`jobs`).
 */
export function notificationRoutes(router: IRouter, deps: NotificationRouteDeps): void {
  router.post('/v1/webhook-secret', requireScope('admin'), async (req: Request, res: Response) => {
    const rotated = await deps.secrets.rotate(tenantOf(req), deps.secretGraceSeconds);
    res.status(201).json(rotated);
  });

  const jobSubject = async (req: Request): Promise<NotificationSubject> => {
    const tenant = tenantOf(req);
    const id = String(req.params['id']);
    if (!(await deps.reader.get(tenant, id))) throw notFound('job', id);
    return { kind: 'job', id, tenant };
  };

  for (const [channel, path] of Object.entries(channels) as [NotificationChannel, string][]) {
    router.get(`/v1/jobs/:id/${path}`, requireScope('jobs'), async (req: Request, res: Response) => {
      const subject = await jobSubject(req);
      const base = `/v1/jobs/${subject.id}/${path}`;
      const data = await deps.log.forSubject(subject, channel);
      res.json({ data: data.map((notification) => toDelivery(notification, base)) });
    });

    router.post(
      `/v1/jobs/:id/${path}/:delivery/redeliver`,
      requireScope('jobs'),
      async (req: Request, res: Response) => {
        const subject = await jobSubject(req);
        const id = String(req.params['delivery']);
        const reopened = await deps.log.reopen(subject, channel, id);
        if (!reopened) {
          throw new GantryError(
            'NOTIFICATION_NOT_FOUND',
            `no ${channel} delivery ${id} for job ${subject.id}`,
          );
        }
        await deps.queue.deliver([id], true);
        res.status(202).json(toDelivery(reopened, `/v1/jobs/${subject.id}/${path}`));
      },
    );
  }
}
