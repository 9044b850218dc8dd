import type { JobDefaults } from '@gantry/contracts';

export interface ValidationIssue {
  path: (string | number)[];
  message: string;
  code: string;
}

export type ValidationResult = { ok: true; value: unknown } | { ok: false; issues: ValidationIssue[] };

/** A job type as the gateway serves it, whether built in or announced by a live worker. */
export interface CatalogueEntry {
  type: string;
  queue: string;
  summary: string;
  defaults: JobDefaults;
  errors: readonly string[];
  accepts: readonly string[];
  inputSchema: Record<string, unknown>;
  outputSchema: Record<string, unknown>;
  /** Top-level input fields that hold a BlobRef (multipart `file` goes into `file`). */
  blobFields: readonly string[];
  /** Top-level input fields that hold a JobOutputRef: the gateway fills in their `text`. */
  jobOutputFields: readonly string[];
  source: 'built-in' | 'announced';
  validate(input: unknown): ValidationResult;
}
