import { type ErrorInfo, GantryError, isTerminal, type PipelineDefinition } from '@gantry/contracts';
import type { BatchRepository } from '@gantry/job-store';
import type { Logger } from '@gantry/observability';
import type { FlowStep, JobPayload, JobProducer } from '@gantry/queue-runtime';
import type { CatalogueEntry } from '../catalogue/catalogue-entry.js';
import type { JobReader } from '../jobs/job-reader.js';
import type { PipelineRuns } from '../pipelines/pipeline-runs.js';
import { fillBatchItem } from './fill-batch-item.js';

export const batchQueue = 'batches';
export const batchJobType = 'batch';

/** What a batch job keeps as its input: what each item runs, and how many items there are. */
export interface BatchInput {
  type: string | null;
  pipeline: PipelineDefinition | null;
  total: number;
}

export interface BatchFeederDeps {
  producer: JobProducer;
  batches: BatchRepository;
  runs: PipelineRuns;
  /** Reads the jobs that items' `source` references name, for the items' tenant. */
  reader: JobReader;
  entryFor: (type: string) => Promise<CatalogueEntry | undefined>;
  logger: Logger;
  /** Items of one batch with a job that has not ended, at most (GATEWAY_BATCH_WINDOW). */
  window: number;
}

export const batchItemId = (batchId: string, index: number) => `${batchId}.${index}`;

const submitChunk = 200;

/**
 * Feeds a batch's items to the queues a window at a time: each look counts the window's jobs that ended
 * (from their job state: a job that left Redis had ended and was recorded), moves the window on, and
 * creates the next items' jobs. The window and the inputs are in PostgreSQL, so memory stays flat
 * whatever the batch's size, and a look may be repeated on any replica after a crash.
 */
export class BatchFeeder {
  constructor(private readonly deps: BatchFeederDeps) {}

  advance = async (payload: JobPayload): Promise<FlowStep> => {
    const { store } = this.deps.producer;
    const batch = await store.get(payload.id);
    if (!batch || isTerminal(batch.status)) return 'done';
    if (batch.status !== 'running') await store.markRunning(batch.id, 1, 'batch-feeder');
    const input = batch.input as BatchInput;
    const row = await this.deps.batches.get(batch.tenant, batch.id);
    if (!row) throw new GantryError('INTERNAL', `batch ${batch.id} has no row in PostgreSQL`);
    const window = range(row.low, row.fed).map((i) => batchItemId(batch.id, i));
    const statuses = await store.statuses(window);
    const ended = statuses.map((status) => status === null || isTerminal(status));
    let low = row.low;
    while (low < row.fed && ended[low - row.low]) low += 1;
    const live = ended.filter((done) => !done).length;
    let fed = row.fed;
    const take = Math.min(this.deps.window - live, row.total - row.fed);
    if (take > 0) fed = await this.feed(batch.id, batch.tenant, batch.priority, input, row.fed, take);
    if (fed !== row.fed || low !== row.low) await this.deps.batches.advance(batch.id, fed, low);
    if (fed > row.fed && (await store.statuses([batch.id]))[0] !== 'running') {
      // Canceled while these were being created: the cancel did not see them.
      await this.cancelItems(batch.id, batch.tenant, input, row.fed, fed);
      return 'done';
    }
    if (low >= row.total) {
      await store.markSucceeded(batch.id, { total: row.total }, null);
      return 'done';
    }
    const endedItems = row.low + ended.filter(Boolean).length;
    const pct = Math.min(99, Math.floor((endedItems / row.total) * 100));
    if (pct !== batch.progress_pct) await store.progress(batch.id, pct, `${low} of ${row.total} items ended`);
    return 'recheck';
  };

  /** A batch whose looks kept failing ends failed; its items under way are canceled. */
  giveUp = async (payload: JobPayload, error: ErrorInfo): Promise<void> => {
    const { store } = this.deps.producer;
    const batch = await store.get(payload.id);
    if (!batch || isTerminal(batch.status)) return;
    await store.markEnded(batch.id, 'failed', error, ['queued', 'running', 'retrying']);
    const row = await this.deps.batches.get(batch.tenant, batch.id);
    if (row) await this.cancelItems(batch.id, batch.tenant, batch.input as BatchInput, row.low, row.fed);
    this.deps.logger.warn({ batchId: batch.id, code: error.code }, 'batch failed');
  };

  /** Creates the jobs of items [from, from + count); answers how far it got (a full quota stops it early). */
  private async feed(
    batchId: string,
    tenant: string,
    priority: number | null,
    input: BatchInput,
    from: number,
    count: number,
  ): Promise<number> {
    const inputs = await this.deps.batches.inputs(batchId, from, count);
    const entry = input.type === null ? undefined : await this.deps.entryFor(input.type);
    if (input.type !== null && !entry) {
      throw new GantryError('UNKNOWN_JOB_TYPE', `no job type "${input.type}" is available any more`);
    }
    // A look repeated after a crash finds some of these created already: they are not created twice.
    const ids = inputs.map((_, i) => batchItemId(batchId, from + i));
    const exists = new Set(await this.deps.batches.existingJobs(ids));
    const live = await this.deps.producer.store.statuses(ids);
    for (let start = 0; start < inputs.length; start += submitChunk) {
      try {
        await Promise.all(
          inputs.slice(start, start + submitChunk).map(async (itemInput, offset) => {
            const i = start + offset;
            const id = ids[i] as string;
            if (exists.has(id) || live[i] !== null) return;
            const common = { id, tenant, ...(priority === null ? {} : { priority }) };
            if (entry) {
              const job = { ...common, type: entry.type, queue: entry.queue, defaults: entry.defaults };
              const item = await fillBatchItem(itemInput, entry, tenant, this.deps.reader);
              await ('refused' in item
                ? this.deps.producer.refuse({ ...job, input: itemInput }, item.refused)
                : this.deps.producer.submit({ ...job, input: item.input }));
            } else {
              await this.deps.runs.submit({
                ...common,
                definition: input.pipeline as PipelineDefinition,
                input: itemInput as Record<string, unknown>,
              });
            }
          }),
        );
      } catch (error) {
        // A full tenant quota waits for the next look; the items of this chunk may be partly created,
        // which the next look's check above finds.
        if (error instanceof GantryError && error.code === 'QUOTA_EXCEEDED') return from + start;
        throw error;
      }
    }
    return from + inputs.length;
  }

  /** Cancels the items [from, to) whose jobs (or pipeline runs) have not ended. */
  async cancelItems(
    batchId: string,
    tenant: string,
    input: BatchInput,
    from: number,
    to: number,
  ): Promise<void> {
    const ids = range(from, to).map((i) => batchItemId(batchId, i));
    const statuses = await this.deps.producer.store.statuses(ids);
    const live = ids.filter((_, i) => statuses[i] !== null && !isTerminal(statuses[i] ?? 'succeeded'));
    await Promise.all(
      live.map((id) =>
        (input.pipeline ? this.deps.runs.cancel(tenant, id) : this.deps.producer.cancel(id)).catch(
          () => undefined,
        ),
      ),
    );
  }
}

const range = (from: number, to: number) =>
  Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
