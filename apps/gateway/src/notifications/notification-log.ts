import { createHash } from 'node:crypto';
import type { DeliveryAttempt, DeliveryStatus, NotificationChannel } from '@gantry/contracts';
import { toDatabaseError } from '@gantry/job-store';
import type pg from 'pg';

export type { NotificationChannel };
export type NotificationStatus = DeliveryStatus;

/**
 * What a notification is about. A job today; a pipeline run or a batch attaches its `webhook` the same
 * way, under its own kind, and shares the queue, the log and the delivery.
 */
export interface NotificationSubject {
  kind: 'job';
  id: string;
  tenant: string;
}

export interface NewNotification {
  subject: NotificationSubject;
  /** `<kind>.<status>`, e.g. `job.succeeded`: the Standard Webhooks `type` of the payload. */
  event: string;
  channel: NotificationChannel;
  /** `{ url }` of a webhook, `{ to }` of an e-mail report. */
  target: { url: string } | { to: string[] };
  payload: unknown;
}

export type NotificationAttempt = DeliveryAttempt;

export interface Notification extends Omit<NewNotification, 'subject'> {
  id: string;
  tenant: string;
  subject_kind: NotificationSubject['kind'];
  subject_id: string;
  status: NotificationStatus;
  created_at: string;
  updated_at: string;
  attempts: NotificationAttempt[];
}

/** The message id (the `webhook-id`), the same whichever recorder creates it and however often. */
export const notificationId = (subject: NotificationSubject, event: string, channel: NotificationChannel) =>
  `msg_${createHash('sha256').update(`${subject.kind}:${subject.id}:${event}:${channel}`).digest('hex').slice(0, 32)}`;

const selectNotification = `
  SELECT n.id, n.tenant, n.subject_kind, n.subject_id, n.event, n.channel, n.target, n.payload, n.status,
         n.created_at, n.updated_at,
         coalesce((SELECT json_agg(json_build_object('at', a.at, 'duration_ms', a.duration_ms,
                     'status_code', a.status_code, 'error', a.error, 'response', a.response) ORDER BY a.id)
                     FROM notification_attempts a WHERE a.notification_id = n.id), '[]') AS attempts
    FROM notifications n`;

interface NotificationRow extends Omit<Notification, 'created_at' | 'updated_at'> {
  created_at: Date;
  updated_at: Date;
}

const toNotification = (row: NotificationRow): Notification => ({
  ...row,
  created_at: row.created_at.toISOString(),
  updated_at: row.updated_at.toISOString(),
  attempts: row.attempts.map((attempt) => ({ ...attempt, at: new Date(attempt.at).toISOString() })),
});

/** Notifications and every attempt to deliver them (PostgreSQL): the delivery log. */
export class NotificationLog {
  constructor(private readonly pool: pg.Pool) {}

  /**
   * Records the notifications (a batch read twice records nothing twice) and returns the ids of those
   * still to deliver: new ones, and ones not delivered yet (their queued delivery, if any, keeps its id).
   */
  async record(notifications: readonly NewNotification[]): Promise<string[]> {
    if (notifications.length === 0) return [];
    const rows = notifications.map((n) => ({
      id: notificationId(n.subject, n.event, n.channel),
      tenant: n.subject.tenant,
      subject_kind: n.subject.kind,
      subject_id: n.subject.id,
      event: n.event,
      channel: n.channel,
      target: n.target,
      payload: n.payload,
    }));
    const { rows: recorded } = await this.query<{ id: string; status: NotificationStatus }>(
      `INSERT INTO notifications (id, tenant, subject_kind, subject_id, event, channel, target, payload)
       SELECT * FROM json_to_recordset($1::json) AS r(id text, tenant text, subject_kind text,
         subject_id text, event text, channel text, target jsonb, payload json)
       ORDER BY id
       ON CONFLICT (id) DO UPDATE SET id = EXCLUDED.id
       RETURNING id, status`,
      [JSON.stringify(rows)],
    );
    return recorded.filter((row) => row.status === 'pending').map((row) => row.id);
  }

  async get(id: string): Promise<Notification | null> {
    const { rows } = await this.query<NotificationRow>(`${selectNotification} WHERE n.id = $1`, [id]);
    return rows[0] ? toNotification(rows[0]) : null;
  }

  /** A subject's notifications of one channel, oldest first, each with its attempts. */
  async forSubject(subject: NotificationSubject, channel: NotificationChannel): Promise<Notification[]> {
    const { rows } = await this.query<NotificationRow>(
      `${selectNotification}
        WHERE n.tenant = $1 AND n.subject_kind = $2 AND n.subject_id = $3 AND n.channel = $4
        ORDER BY n.created_at, n.id`,
      [subject.tenant, subject.kind, subject.id, channel],
    );
    return rows.map(toNotification);
  }

  /** Logs an attempt and sets the status it leaves the notification in, in one statement. */
  async logAttempt(
    id: string,
    attempt: Omit<NotificationAttempt, 'at'>,
    status: NotificationStatus,
  ): Promise<void> {
    await this.query(
      `WITH attempt AS (
         INSERT INTO notification_attempts (notification_id, duration_ms, status_code, error, response)
         VALUES ($1, $2, $3, $4, $5))
       UPDATE notifications SET status = $6, updated_at = now() WHERE id = $1`,
      [
        id,
        attempt.duration_ms,
        attempt.status_code,
        attempt.error === null ? null : JSON.stringify(attempt.error),
        attempt.response?.replaceAll('\u0000', '') ?? null,
        status,
      ],
    );
  }

  /** Puts one of the subject's notifications back to pending for a manual redelivery; null if none. */
  async reopen(
    subject: NotificationSubject,
    channel: NotificationChannel,
    id: string,
  ): Promise<Notification | null> {
    const { rowCount } = await this.query(
      `UPDATE notifications SET status = 'pending', updated_at = now()
        WHERE id = $1 AND tenant = $2 AND subject_kind = $3 AND subject_id = $4 AND channel = $5`,
      [id, subject.tenant, subject.kind, subject.id, channel],
    );
    return rowCount ? this.get(id) : null;
  }

  private async query<R extends pg.QueryResultRow>(
    sql: string,
    values: unknown[],
  ): Promise<pg.QueryResult<R>> {
    try {
      return await this.pool.query<R>(sql, values);
    } catch (error) {
      throw toDatabaseError(error);
    }
  }
}
