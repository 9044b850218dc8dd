import { randomUUID } from 'node:crypto';
import {
  type BatchObject,
  type BatchResultLine,
  type EmailTarget,
  GantryError,
  isTerminal,
  type PipelineDefinition,
  type WebhookTarget,
} from '@gantry/contracts';
import type { BlobStore, StoredBlob } from '@gantry/blob-store';
import type { BatchRepository } from '@gantry/job-store';
import type { JobProducer } from '@gantry/queue-runtime';
import type { CatalogueEntry, ValidationIssue } from '../catalogue/catalogue-entry.js';
import { resolveBlobRefs } from '../blobs/resolve-blob-refs.js';
import { validateBeforeFill } from '../jobs/fill-job-outputs.js';
import type { JobReader } from '../jobs/job-reader.js';
import type { InputCheck } from '../models/check-model-features.js';
import { type BatchFeeder, type BatchInput, batchItemId, batchJobType, batchQueue } from './batch-feeder.js';

export interface BatchesDeps {
  producer: JobProducer;
  /** Where items' `{ "blob_id" }` references are looked up (the tenant's own blobs, as a single job's). */
  blobs: Pick<BlobStore, 'stat'>;
  batches: BatchRepository;
  reader: JobReader;
  feeder: BatchFeeder;
  maxItems: number;
  /** Checks beyond the job type's schema, item by item: a scoring job's features against its model's. */
  checkInput: InputCheck;
}

/** What every item of a batch runs: a job type, or a pipeline (checked already). */
export type BatchWork = { entry: CatalogueEntry } | { pipeline: PipelineDefinition; name: string | null };

/** How a batch runs beside its work: its items' priority, and who hears of the batch's own statuses. */
export interface BatchOptions {
  priority?: number;
  webhook?: WebhookTarget;
  email?: EmailTarget;
}

/** Inputs stored per INSERT, and results read per query: what a batch holds in memory at once. */
const chunkSize = 1_000;
/**
 * Items of a finished batch whose end is read from Redis at most: the recorder's lag behind Redis is a
 * batch of its writes, far fewer; past it the counts are PostgreSQL's until it catches up.
 */
const unrecordedEndsRead = 1_000;
const maxReportedIssues = 20;
/** A batch job's looks: attempts are the looks that may fail in a row before the batch fails. */
const batchDefaults = { attempts: 10, backoffMs: 1_000, timeoutMs: 60_000 };

/** Batches as the API sees them: created from a stream of items, read with counts, results, canceled. */
export class Batches {
  constructor(private readonly deps: BatchesDeps) {}

  /** Stores the items as they arrive (a chunk at a time), then queues the batch's feeder. */
  async create(
    tenant: string,
    work: BatchWork,
    items: AsyncIterable<unknown> | Iterable<unknown>,
    { priority, webhook, email }: BatchOptions = {},
  ): Promise<BatchObject> {
    const id = randomUUID();
    let total = 0;
    let chunk: unknown[] = [];
    const issues: ValidationIssue[] = [];
    const blobs = statOnce(this.deps.blobs);
    try {
      for await (const item of items) {
        const checked = await checkItem(work, item, { tenant, blobs, checkInput: this.deps.checkInput });
        if (!checked.ok) {
          issues.push(
            ...checked.issues.map((issue) => ({ ...issue, path: ['items', total, ...issue.path] })),
          );
          if (issues.length >= maxReportedIssues) break;
        }
        chunk.push(checked.ok ? checked.value : null);
        total += 1;
        if (total > this.deps.maxItems) {
          throw new GantryError(
            'PAYLOAD_TOO_LARGE',
            `a batch has at most ${this.deps.maxItems} items (GATEWAY_BATCH_MAX_ITEMS)`,
            {
              details: { limit: this.deps.maxItems },
            },
          );
        }
        if (chunk.length === chunkSize && issues.length === 0) {
          await this.deps.batches.addItems(id, total - chunk.length, chunk);
          chunk = [];
        }
      }
      if (issues.length > 0) {
        throw new GantryError(
          'VALIDATION_FAILED',
          `batch items do not match the ${'entry' in work ? `"${work.entry.type}" schema` : 'pipeline'}`,
          {
            details: { issues },
          },
        );
      }
      if (total === 0) throw new GantryError('VALIDATION_FAILED', 'the batch has no items');
      if (chunk.length > 0) await this.deps.batches.addItems(id, total - chunk.length, chunk);
      await this.deps.batches.create({ id, tenant, total });
      const input: BatchInput = {
        type: 'entry' in work ? work.entry.type : null,
        pipeline: 'entry' in work ? null : work.pipeline,
        total,
      };
      await this.deps.producer.submit({
        id,
        tenant,
        type: batchJobType,
        queue: batchQueue,
        defaults: batchDefaults,
        input,
        ...(priority === undefined ? {} : { priority }),
        // The batch's job carries them, so the recorder notifies on the batch's statuses, not each item's.
        ...(webhook ? { webhook } : {}),
        ...(email ? { email } : {}),
      });
    } catch (error) {
      await this.deps.batches.drop(id).catch(() => undefined);
      throw error;
    }
    return (await this.get(tenant, id)) as BatchObject;
  }

  async get(tenant: string, id: string): Promise<BatchObject | null> {
    const job = await this.deps.reader.get(tenant, id);
    const row = job?.type === batchJobType ? await this.deps.batches.get(tenant, id) : null;
    if (!job || !row) return null;
    const input = job.input as BatchInput;
    const counts: BatchObject['counts'] = { pending: row.total };
    let counted = 0;
    for (const { status, count } of await this.deps.batches.counts(id)) {
      counts[status] = count;
      counted += count;
    }
    counts.pending = row.total - counted;
    if (isTerminal(job.status)) {
      await this.addUnrecordedEnds(id, counts);
      // An ended batch starts no more items: those it had not started end with it, as its results say.
      counts.canceled = (counts.canceled ?? 0) + counts.pending;
      counts.pending = 0;
      if (counts.canceled === 0) delete counts.canceled;
    }
    const base = `/v1/batches/${id}`;
    return {
      id,
      type: input.type,
      pipeline: input.pipeline ? (input.pipeline.name ?? null) : null,
      status: job.status,
      total: row.total,
      counts,
      created_at: job.created_at,
      completed_at: job.completed_at,
      webhook: job.webhook,
      email: job.email,
      urls: {
        get: base,
        results: `${base}/results`,
        cancel: `${base}/cancel`,
        events: `/v1/jobs/${id}/events`,
      },
    };
  }

  /**
   * A batch ends in Redis before the recorder has written its last items' ends to PostgreSQL, where the
   * counts come from: a finished batch's counts would still show items running. Those few items are read
   * from their live job states instead, so that a finished batch's counts add up to its outcome.
   */
  private async addUnrecordedEnds(id: string, counts: BatchObject['counts']): Promise<void> {
    for (const item of await this.deps.batches.unended(id, unrecordedEndsRead)) {
      const live = await this.deps.producer.store.get(batchItemId(id, item.index));
      if (!live || !isTerminal(live.status)) continue;
      const recorded = item.status ?? 'pending';
      counts[recorded] = (counts[recorded] ?? 0) - 1;
      if (counts[recorded] === 0 && recorded !== 'pending') delete counts[recorded];
      counts[live.status] = (counts[live.status] ?? 0) + 1;
    }
  }

  /**
   * Each item's outcome, in input order, a page at a time: PostgreSQL's row, or the live job state of an
   * item whose end is not recorded yet. Null when there is no such batch.
   */
  async results(tenant: string, id: string): Promise<AsyncIterable<BatchResultLine> | null> {
    const row = await this.deps.batches.get(tenant, id);
    if (!row) return null;
    const { batches, producer } = this.deps;
    const batchStatus = (await this.deps.reader.get(tenant, id))?.status;
    // Read once, at the start: an item a running batch has not started is `pending`; one an ended batch
    // never started will not start, and reads as canceled with it.
    const neverStarted =
      batchStatus !== undefined && isTerminal(batchStatus)
        ? {
            status: 'canceled' as const,
            error: new GantryError(
              'JOB_CANCELED',
              `the batch ended (${batchStatus}) before this item started`,
              {
                details: { batch_status: batchStatus },
              },
            ).toInfo(),
          }
        : { status: 'pending' as const, error: null };
    return (async function* () {
      for (let from = 0; from < row.total; from += chunkSize) {
        const page = await batches.results(id, from, chunkSize);
        for (const item of page) {
          const itemId = batchItemId(id, item.index);
          // Redis has an item's end before PostgreSQL does (the recorder follows): an item not recorded
          // as ended is read from its live job state, which may be gone past retention.
          const recordedEnd = item.job && isTerminal(item.job.status) ? item.job : null;
          const job = recordedEnd ?? (await producer.store.get(itemId)) ?? item.job;
          yield job
            ? {
                index: item.index,
                id: itemId,
                status: job.status,
                output: job.output ?? null,
                error: job.error ?? null,
              }
            : { index: item.index, id: itemId, output: null, ...neverStarted };
        }
      }
    })();
  }

  /** Cancels the batch (no more items start) and its items under way; false when it had ended. */
  async cancel(tenant: string, id: string): Promise<{ canceled: boolean; batch: BatchObject | null }> {
    const row = await this.deps.batches.get(tenant, id);
    const job = row && (await this.deps.reader.get(tenant, id));
    if (!row || !job) return { canceled: false, batch: null };
    const result = await this.deps.producer.cancel(id);
    if (result.applied || !isTerminal(job.status)) {
      await this.deps.feeder.cancelItems(id, tenant, job.input as BatchInput, row.low, row.fed);
    }
    return { canceled: result.applied, batch: await this.get(tenant, id) };
  }
}

/** A blob store's `stat` that looks each id up once: a batch's items often name the same blobs. */
function statOnce(blobs: Pick<BlobStore, 'stat'>): Pick<BlobStore, 'stat'> {
  const seen = new Map<string, Promise<StoredBlob | null>>();
  return {
    stat: (tenant, blobId) => {
      let found = seen.get(blobId);
      if (!found) {
        found = blobs.stat(tenant, blobId);
        seen.set(blobId, found);
      }
      return found;
    },
  };
}

/** The blob errors an item's reference can meet, as its issues (the single-job route answers them whole). */
const blobIssueCodes = new Set(['BLOB_NOT_FOUND', 'UNSUPPORTED_MEDIA_TYPE']);

async function checkItem(
  work: BatchWork,
  item: unknown,
  context: { tenant: string; blobs: Pick<BlobStore, 'stat'>; checkInput: InputCheck },
): Promise<{ ok: true; value: unknown } | { ok: false; issues: ValidationIssue[] }> {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    return { ok: false, issues: [{ path: [], message: 'an item is an input object', code: 'invalid_type' }] };
  }
  if (!('entry' in work)) return { ok: true, value: item };
  const { entry } = work;
  // A `source` is filled in as the item is fed: the job it names may still be running now.
  const checked = validateBeforeFill(item, entry);
  if (!checked.ok) return checked;
  // Blob references are the tenant's own and of a type the job reads, checked and filled in now as a
  // single job's are: the worker then reads what was checked, and the blob sweeper sees them stored.
  let value: Record<string, unknown>;
  try {
    value = await resolveBlobRefs(checked.value as Record<string, unknown>, {
      fields: entry.blobFields,
      tenant: context.tenant,
      blobs: context.blobs,
      accepts: entry.accepts,
      type: entry.type,
    });
  } catch (error) {
    if (!(error instanceof GantryError) || !blobIssueCodes.has(error.code)) throw error;
    const path = (error.details?.['path'] as (string | number)[] | undefined) ?? [];
    return { ok: false, issues: [{ path, message: error.message, code: error.code }] };
  }
  const problem = await context.checkInput(entry.type, value);
  return problem ? { ok: false, issues: problem.issues } : { ok: true, value };
}
