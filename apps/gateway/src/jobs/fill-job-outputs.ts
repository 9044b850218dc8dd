import { GantryError, isTerminal, JobOutputRef } from '@gantry/contracts';
import type { CatalogueEntry } from '../catalogue/catalogue-entry.js';
import { valueAtOutputPath } from '../pipelines/pipeline-reference.js';
import type { JobReader } from './job-reader.js';

/**
 * Fills in the `text` of each JobOutputRef field from the referenced job's output, read for the
 * caller's tenant only (another tenant's job is JOB_NOT_FOUND, as if it did not exist). A reference
 * the contract's schema refuses (a malformed `job_id` or `path`) is left as it is, for the validation
 * that follows to answer with its path.
 */
export async function fillJobOutputs(
  input: Record<string, unknown>,
  entry: CatalogueEntry,
  tenant: string,
  reader: JobReader,
): Promise<Record<string, unknown>> {
  const filled = { ...input };
  for (const field of entry.jobOutputFields) {
    const parsed = JobOutputRef.safeParse(input[field]);
    if (!parsed.success) continue;
    const { job_id, path } = parsed.data;
    const job = await reader.get(tenant, job_id);
    if (!job) {
      throw new GantryError('JOB_NOT_FOUND', `no job ${job_id}`, { details: { field, job_id } });
    }
    if (job.status !== 'succeeded') {
      const ended = isTerminal(job.status);
      throw new GantryError(
        ended ? 'SOURCE_JOB_NOT_SUCCEEDED' : 'SOURCE_JOB_NOT_FINISHED',
        ended
          ? `job ${job.id} ended ${job.status}: it has no output to read`
          : `job ${job.id} is ${job.status}; submit this job once it has succeeded`,
        { details: { field, job_id: job.id, status: job.status } },
      );
    }
    const text = valueAtOutputPath(job.output, path);
    if (typeof text !== 'string') {
      throw new GantryError('SOURCE_NOT_TEXT', `job ${job.id} has no text at "${path}" in its output`, {
        details: { field, job_id: job.id, path, found: describe(text) },
      });
    }
    filled[field] = { job_id, path, text };
  }
  return filled;
}

const describe = (value: unknown): string =>
  value === undefined ? 'nothing' : value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
