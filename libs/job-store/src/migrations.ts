export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * Ordered, append-only: a released migration is never edited; a change is a new version.
 * Tables are created unqualified so the search_path decides the schema (tests use one per file).
 */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'jobs, job_events, api_keys',
    sql: `
      CREATE TABLE jobs (
        id text PRIMARY KEY,
        tenant text NOT NULL,
        type text NOT NULL,
        queue text NOT NULL,
        status text NOT NULL,
        status_reason text,
        priority integer,
        attempt integer NOT NULL DEFAULT 0,
        max_attempts integer NOT NULL DEFAULT 1,
        progress_pct real NOT NULL DEFAULT 0,
        progress_message text,
        input jsonb,
        output jsonb,
        error jsonb,
        model jsonb,
        worker text,
        idempotency_key text,
        created_at timestamptz NOT NULL,
        started_at timestamptz,
        completed_at timestamptz,
        seq integer NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      -- The list query is keyset-paginated on (created_at DESC, id DESC) within a tenant; the filtered
      -- variants keep the same order after their equality column so a filter never needs a sort.
      CREATE INDEX jobs_tenant_created_idx ON jobs (tenant, created_at DESC, id DESC);
      CREATE INDEX jobs_tenant_status_created_idx ON jobs (tenant, status, created_at DESC, id DESC);
      CREATE INDEX jobs_tenant_type_created_idx ON jobs (tenant, type, created_at DESC, id DESC);

      -- No foreign key to jobs: a status change is kept even when its job hash expired before a
      -- recorder saw it, so history may hold rows whose job row was never written.
      CREATE TABLE job_events (
        job_id text NOT NULL,
        seq integer NOT NULL,
        status text NOT NULL,
        at timestamptz NOT NULL,
        data jsonb NOT NULL DEFAULT '{}'::jsonb,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (job_id, seq)
      );

      CREATE TABLE api_keys (
        id uuid PRIMARY KEY,
        tenant text NOT NULL,
        name text NOT NULL,
        scopes text[] NOT NULL,
        key_sha256 bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        last_used_at timestamptz
      );
      CREATE UNIQUE INDEX api_keys_key_sha256_idx ON api_keys (key_sha256);
      CREATE INDEX api_keys_tenant_idx ON api_keys (tenant, created_at);
    `,
  },
  {
    version: 2,
    name: 'api_keys rate limit overrides',
    sql: `
      -- NULL keeps the gateway's default; 0 turns the limit off for this key (the bench's own key).
      ALTER TABLE api_keys
        ADD COLUMN rate_limit_per_s integer CHECK (rate_limit_per_s >= 0),
        ADD COLUMN rate_limit_burst integer CHECK (rate_limit_burst >= 0);
    `,
  },
  {
    version: 3,
    name: 'jobs by the blobs their input names',
    sql: `
      -- Every blob id the input names at its top level ({ "file": { "blob_id": … } }, or an array of
      -- such objects), whatever the field is called, so a contract with another blob field is covered too.
      -- The blob sweeper asks which of a batch of old blobs a job still needs (find-blobs-in-use.ts uses
      -- this very expression, which is what lets the planner use the index).
      CREATE INDEX jobs_blob_ids_idx ON jobs USING gin (jsonb_path_query_array(input, '$.*.blob_id'));
    `,
  },
  {
    version: 4,
    name: 'batches and their items',
    sql: `
      -- A batch's inputs, in PostgreSQL from the upload on, so that neither Redis nor a gateway holds a
      -- 100,000-item batch: the batch's feeder reads them a window at a time. Item i runs as the job
      -- "<batch id>.<i>" (a job or a pipeline run), whose row in jobs holds its status and output.
      CREATE TABLE batches (
        id text PRIMARY KEY,
        tenant text NOT NULL,
        total integer NOT NULL,
        -- Items [0, fed) have their job; those below low have ended (the feeder's window is [low, fed)).
        fed integer NOT NULL DEFAULT 0,
        low integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE batch_items (
        batch_id text NOT NULL,
        idx integer NOT NULL,
        input jsonb NOT NULL,
        PRIMARY KEY (batch_id, idx)
      );
    `,
  },
  {
    version: 6,
    name: 'notifications: job webhook and email targets, webhook secrets, delivery log',
    sql: `
      ALTER TABLE jobs ADD COLUMN webhook jsonb, ADD COLUMN email jsonb;
      -- The recorder asks, per batch, which of its jobs want notifications (find-notified-jobs.ts, to the letter):
      -- few do, so this index is small and the probes of the others stay in memory.
      CREATE INDEX jobs_notified_idx ON jobs (id) WHERE webhook IS NOT NULL OR email IS NOT NULL;

      -- One signing secret per tenant (Standard Webhooks' whsec_…). Stored as it is: signing needs it. After a
      -- rotation the previous one still signs beside the new one until previous_until, so receivers can switch.
      CREATE TABLE webhook_secrets (
        tenant text PRIMARY KEY,
        secret text NOT NULL,
        previous_secret text,
        previous_until timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      );

      -- One message per subject (a job; later a pipeline run, a batch, a schedule), event and channel: its id
      -- is derived from those four, and is the webhook-id, the same for every attempt and redelivery.
      CREATE TABLE notifications (
        id text PRIMARY KEY,
        tenant text NOT NULL,
        subject_kind text NOT NULL,
        subject_id text NOT NULL,
        event text NOT NULL,
        channel text NOT NULL,
        target jsonb NOT NULL,
        payload json NOT NULL, -- json, not jsonb: delivered with its keys in the order they were written
        status text NOT NULL DEFAULT 'pending',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX notifications_subject_idx ON notifications (tenant, subject_kind, subject_id, created_at);

      CREATE TABLE notification_attempts (
        id bigserial PRIMARY KEY,
        notification_id text NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
        at timestamptz NOT NULL DEFAULT now(),
        duration_ms integer NOT NULL,
        status_code integer,
        error jsonb,
        response text
      );
      CREATE INDEX notification_attempts_notification_idx ON notification_attempts (notification_id, id);
    `,
  },
  {
    version: 7,
    name: 'schedules',
    sql: `
      -- A tenant's recurring runs; BullMQ's job scheduler of the same id holds the timing in Redis, this row
      -- what to run (a job type or, later, a pipeline) and how to treat a tick missed while nothing ran.
      CREATE TABLE schedules (
        id text PRIMARY KEY,
        tenant text NOT NULL,
        name text,
        cron text,
        every_s integer,
        timezone text NOT NULL,
        misfire text NOT NULL,
        target jsonb NOT NULL,
        paused boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        last_tick_at timestamptz,
        last_job_id text,
        last_error jsonb,
        skipped_ticks integer NOT NULL DEFAULT 0
      );
      CREATE INDEX schedules_tenant_idx ON schedules (tenant, created_at, id);
    `,
  },
  {
    version: 8,
    name: 'schedules by the blobs their target names',
    sql: `
      -- Every blob id a schedule's target names, at any depth (its input's { "file": { "blob_id": … } },
      -- or a literal reference in a pipeline step): a live schedule keeps its blobs past retention, and
      -- the blob sweeper asks which of a batch of old blobs one names (find-blobs-in-use.ts uses this very
      -- expression, which is what lets the planner use the index).
      CREATE INDEX schedules_blob_ids_idx ON schedules USING gin (jsonb_path_query_array(target, '$.**.blob_id'));
    `,
  },
  {
    version: 9,
    name: 'finished jobs by completion time, for record retention',
    sql: `
      -- The pruner (prune-job-records.ts) takes the oldest finished jobs a bounded batch at a time, roots
      -- (ids without a ".") apart from the jobs under one ("<batch>.<i>", "<run>.<step>"): a root goes
      -- first, and the jobs under it only once it has gone. Each query names its index's predicate to the
      -- letter, which is what lets the planner use it; the two together index every finished job once, and
      -- no unfinished one (completed_at is set by every ending, and only then).
      CREATE INDEX jobs_root_completed_idx ON jobs (completed_at)
        WHERE completed_at IS NOT NULL AND strpos(id, '.') = 0;
      CREATE INDEX jobs_child_completed_idx ON jobs (completed_at)
        WHERE completed_at IS NOT NULL AND strpos(id, '.') > 0;
      -- A schedule's last job stays as long as the schedule does (the pruner asks per job).
      CREATE INDEX schedules_last_job_idx ON schedules (last_job_id);
      -- Batches whose job was pruned: their items go a bounded batch at a time, then the batch's row.
      CREATE INDEX batches_created_idx ON batches (created_at);
    `,
  },
  {
    version: 10,
    name: 'unfinished jobs by creation time, for their maximum lifetime',
    sql: `
      -- The overdue sweep (find-overdue-jobs.ts) takes the oldest jobs that have not ended, to end those
      -- past JOB_MAX_LIFETIME_S, a page at a time in (created_at, id) order. Unfinished jobs are few beside
      -- the finished ones a table keeps, and the predicate, to the letter of the query's, lets the planner
      -- use this index alone.
      CREATE INDEX jobs_unfinished_created_idx ON jobs (created_at, id) WHERE completed_at IS NULL;
    `,
  },
  {
    version: 11,
    name: 'batch items by the blobs their input names',
    sql: `
      -- A batch's items name their blobs ({ "file": { "blob_id": … } }) long before their jobs exist: the
      -- blob sweeper asks which of a batch of old blobs an item of a live batch names (find-blobs-in-use.ts
      -- uses this very expression, as for jobs in migration 3).
      CREATE INDEX batch_items_blob_ids_idx ON batch_items USING gin (jsonb_path_query_array(input, '$.*.blob_id'));
    `,
  },
  {
    version: 12,
    name: 'a job answers its start deadline',
    sql: `
      -- The deadline a job was given (expires_in after creation), so that GET shows it; null without one.
      ALTER TABLE jobs ADD COLUMN expires_at timestamptz;
    `,
  },
];
