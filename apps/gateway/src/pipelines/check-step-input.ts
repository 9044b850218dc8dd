import type { BlobRef } from '@gantry/contracts';
import type { CatalogueEntry, ValidationResult } from '../catalogue/catalogue-entry.js';

/** A step's built input against its job type's schema, and its files against the types it reads. */
export function checkStepInput(entry: CatalogueEntry, input: unknown): ValidationResult {
  const result = entry.validate(input);
  if (!result.ok) return result;
  for (const field of entry.blobFields) {
    const blob = (result.value as Record<string, Partial<BlobRef> | undefined>)[field];
    if (blob?.media_type && entry.accepts.length > 0 && !entry.accepts.includes(blob.media_type)) {
      return {
        ok: false,
        issues: [
          {
            path: [field],
            message: `"${entry.type}" does not read ${blob.media_type} files`,
            code: 'unsupported_media_type',
          },
        ],
      };
    }
  }
  return result;
}
