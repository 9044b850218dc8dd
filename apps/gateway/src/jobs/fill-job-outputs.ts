import {
  defaultOutputPath,
  GantryError,
  isTerminal,
  type JobOutputRef,
  outputPathPattern,
} from '@gantry/contracts';
import type { CatalogueEntry } from '../catalogue/catalogue-entry.js';
import { valueAtOutputPath } from '../pipelines/pipeline-reference.js';
import type { JobReader } from './job-reader.js';

/**
 * Fills in the `text` of each JobOutputRef field from the referenced job's output, read for the
 * caller's tenant only (another tenant's job is JOB_NOT_FOUND, as if it did not exist). A reference
 * whose `job_id` or `path` is malformed is left as it is, for the schema to refuse with its path.
 */
export async function fillJobOutputs(
  input: Record<string, unknown>,
  entry: CatalogueEntry,
  tenant: string,
  reader: JobReader,
): Promise<Record<string, unknown>> {
  const filled = { ...input };
  for (const field of entry.jobOutputFields) {
    const ref = input[field] as Partial<JobOutputRef> | undefined;
    if (!ref || typeof ref !== 'object' || typeof ref.job_id !== 'string') continue;
    const path = ref.path ?? defaultOutputPath;
    if (typeof path !== 'string' || !outputPathPattern.test(path)) continue;
    const job = await reader.get(tenant, ref.job_id);
    if (!job) {
      throw new GantryError('JOB_NOT_FOUND', `no job ${ref.job_id}`, {
        details: { field, job_id: ref.job_id },
      });
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
    filled[field] = { ...ref, path, text };
  }
  return filled;
}

const describe = (value: unknown): string =>
  value === undefined ? 'nothing' : value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
