import { GantryError, isTerminal, JobOutputRef } from '@gantry/contracts';
import type { CatalogueEntry, ValidationResult } from '../catalogue/catalogue-entry.js';
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

/** What an unfilled reference's `text` is checked as: any text passes the checks made before the fill. */
const pendingText = 'text to be filled in';

/**
 * Validates an input whose JobOutputRef fields are filled later (a batch item's, when the item is fed:
 * its source job may still be running when the batch is created) as it will be once they are: each
 * reference gets a stand-in text, so only its real faults are reported. An input with a reference keeps
 * its value as sent, stand-in left out: the item is validated again after its fill.
 */
export function validateBeforeFill(input: unknown, entry: CatalogueEntry): ValidationResult {
  const references = isRecord(input) ? entry.jobOutputFields.filter((field) => isRecord(input[field])) : [];
  if (!isRecord(input) || references.length === 0) return entry.validate(input);
  const standIn = { ...input };
  for (const field of references) standIn[field] = { ...(input[field] as object), text: pendingText };
  const result = entry.validate(standIn);
  return result.ok ? { ok: true, value: input } : result;
}

/** Whether the input has a JobOutputRef for the gateway to fill in. */
export const hasJobOutputRefs = (input: unknown, entry: CatalogueEntry): boolean =>
  isRecord(input) && entry.jobOutputFields.some((field) => JobOutputRef.safeParse(input[field]).success);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
