import { FlowNotify, GantryError, type JobObject } from '@gantry/contracts';
import { redisKeys } from '@gantry/job-state';
import type { Logger } from '@gantry/observability';
import { createRedis } from '@gantry/queue-runtime';
import { type Job, UnrecoverableError, Worker } from 'bullmq';
import { type FlowEmailPayload, renderFlowReport } from './flow-email-report.js';
import { type EmailReport, renderJobReport } from './job-email-report.js';
import type { Mailer } from './mailer.js';
import type { Notification, NotificationLog, NotificationStatus } from './notification-log.js';
import { type DeliveryJob, notificationQueueName } from './notification-queue.js';
import { type DeliveryAttempt, sendWebhook } from './send-webhook.js';
import type { WebhookAddressPolicy } from './webhook-address-policy.js';
import type { WebhookSecrets } from './webhook-secrets.js';

export interface DeliveryWorkerOptions {
  redisUrl: string;
  prefix: string;
  logger: Logger;
  log: NotificationLog;
  secrets: WebhookSecrets;
  policy: WebhookAddressPolicy;
  mailer: Mailer | null;
  timeoutMs: number;
  concurrency: number;
  /** Base of the links in e-mail reports (GANTRY_PUBLIC_URL). */
  publicUrl: string;
}

export interface DeliveryWorker {
  close(): Promise<void>;
}

/**
 * Delivers notifications from their own queue, in every gateway replica: the work is a few network calls
 * and two PostgreSQL writes per attempt (no CPU to speak of), it needs PostgreSQL (the log, the secrets),
 * which only gateways reach, and so no other deployable is needed. Each attempt is logged; a failed one is
 * retried by BullMQ with exponential backoff, a refused target (SSRF) never.
 */
export function startDeliveryWorker(options: DeliveryWorkerOptions): DeliveryWorker {
  const { log, logger } = options;
  const attemptOf = async (notification: Notification): Promise<DeliveryAttempt> => {
    if (notification.channel === 'email') return sendReport(notification, options);
    const target = notification.target as { url: string };
    // An unreadable secret (a key missing from the config) is a failed attempt, logged and retried like
    // any other, so that the delivery goes out once the key is back; a database error stays thrown.
    const secrets = await options.secrets.signing(notification.tenant).catch((error: unknown) => {
      if (error instanceof GantryError && error.code === 'WEBHOOK_SECRET_UNREADABLE') return error;
      throw error;
    });
    if (secrets instanceof GantryError) {
      return { ok: false, statusCode: null, durationMs: 0, response: null, error: secrets };
    }
    if (secrets.length === 0) {
      const error = new GantryError('WEBHOOK_SECRET_MISSING', 'the tenant has no webhook signing secret');
      return { ok: false, statusCode: null, durationMs: 0, response: null, error };
    }
    const message = {
      url: target.url,
      id: notification.id,
      body: JSON.stringify(notification.payload),
      secrets,
    };
    return sendWebhook(message, options.policy, options.timeoutMs);
  };

  const worker = new Worker<DeliveryJob>(
    notificationQueueName,
    async (job: Job<DeliveryJob>) => {
      const notification = await log.get(job.data.notification_id);
      if (!notification || notification.status !== 'pending') return;
      const attempt = await attemptOf(notification);
      const error = attempt.error;
      const last = error !== null && (!error.retryable || job.attemptsMade + 1 >= (job.opts.attempts ?? 1));
      const status: NotificationStatus = attempt.ok ? 'delivered' : last ? 'failed' : 'pending';
      await log.logAttempt(
        notification.id,
        {
          duration_ms: attempt.durationMs,
          status_code: attempt.statusCode,
          error: error?.toInfo() ?? null,
          response: attempt.response,
        },
        status,
      );
      const context = { notificationId: notification.id, channel: notification.channel, status };
      if (!error) return logger.debug(context, 'notification delivered');
      logger.info(
        { ...context, err: error.toInfo(), attempt: job.attemptsMade + 1 },
        'notification attempt failed',
      );
      throw error.retryable ? error : new UnrecoverableError(error.message);
    },
    {
      connection: createRedis(options.redisUrl, logger, 'blocking'),
      prefix: redisKeys(options.prefix).bullPrefix,
      concurrency: options.concurrency,
    },
  );
  worker.on('error', (error) => logger.error({ err: error }, 'notification worker error'));

  return {
    async close() {
      await worker.close();
      await worker.disconnect();
      options.mailer?.close();
    },
  };
}

async function sendReport(
  notification: Notification,
  options: DeliveryWorkerOptions,
): Promise<DeliveryAttempt> {
  const started = performance.now();
  const durationMs = () => Math.round(performance.now() - started);
  if (!options.mailer) {
    const error = new GantryError('EMAIL_NOT_CONFIGURED', 'e-mail reports need SMTP settings on the gateway');
    return { ok: false, statusCode: null, durationMs: 0, response: null, error };
  }
  try {
    await options.mailer.send((notification.target as { to: string[] }).to, reportOf(notification, options));
    return { ok: true, statusCode: null, durationMs: durationMs(), response: null, error: null };
  } catch (error) {
    return {
      ok: false,
      statusCode: null,
      durationMs: durationMs(),
      response: null,
      error: GantryError.from(error),
    };
  }
}

/** A `flow.notify` step's mail carries the value it was given; a job's report, the job. */
function reportOf(notification: Notification, { publicUrl }: DeliveryWorkerOptions): EmailReport {
  if (notification.event === FlowNotify.type) {
    const payload = notification.payload as FlowEmailPayload;
    return renderFlowReport(payload, new URL(`/v1/jobs/${payload.job_id}`, publicUrl).href);
  }
  const job = (notification.payload as { data: JobObject }).data;
  return renderJobReport(job, new URL(job.urls.get, publicUrl).href);
}
