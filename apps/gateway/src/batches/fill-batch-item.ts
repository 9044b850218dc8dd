import { type ErrorCode, GantryError } from '@gantry/contracts';
import type { CatalogueEntry } from '../catalogue/catalogue-entry.js';
import { fillJobOutputs, hasJobOutputRefs } from '../jobs/fill-job-outputs.js';
import type { JobReader } from '../jobs/job-reader.js';

/** What a batch item's fill can answer about that item alone: its failure, never the batch's. */
const itemCodes: ReadonlySet<ErrorCode> = new Set([
  'JOB_NOT_FOUND',
  'SOURCE_JOB_NOT_FINISHED',
  'SOURCE_JOB_NOT_SUCCEEDED',
  'SOURCE_NOT_TEXT',
  'VALIDATION_FAILED',
]);

/**
 * A batch item's input as it is queued: its JobOutputRef fields filled in from the tenant's jobs as the
 * item comes due (as `POST /v1/jobs/{type}` does at once), then validated. An item whose source cannot
 * be read is `refused` with the error the single-job route would answer; anything else (PostgreSQL
 * down) is thrown, so the feeder's look fails and is tried again.
 */
export async function fillBatchItem(
  input: unknown,
  entry: CatalogueEntry,
  tenant: string,
  reader: JobReader,
): Promise<{ input: unknown } | { refused: GantryError }> {
  if (!hasJobOutputRefs(input, entry)) return { input };
  try {
    const filled = await fillJobOutputs(input as Record<string, unknown>, entry, tenant, reader);
    const result = entry.validate(filled);
    if (!result.ok) {
      throw new GantryError('VALIDATION_FAILED', `input does not match the "${entry.type}" schema`, {
        details: { issues: result.issues },
      });
    }
    return { input: result.value };
  } catch (error) {
    if (error instanceof GantryError && itemCodes.has(error.code)) return { refused: error };
    throw error;
  }
}
