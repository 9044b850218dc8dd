import { z } from 'zod';

/** A registry version a job may pin; the default is the version promoted for that model name. */
export const ModelVersion = z
  .string()
  .regex(/^[0-9]{1,9}$/, 'model_version must be a registry version number such as "3"')
  .describe('Registry version to use; the promoted version when left out.');

/** The registry version that produced (or was trained as) an output. */
export const RegistryModelRef = z.object({ name: z.string(), version: z.string() });
export type RegistryModelRef = z.infer<typeof RegistryModelRef>;

/** What to do with dataset rows that cannot be read: fail the job naming them, or skip and report them. */
export const MalformedRowPolicy = z
  .enum(['fail', 'skip'])
  .default('fail')
  .describe(
    '`fail`: a malformed row fails the job, naming its line; `skip`: such rows are left out and reported.',
  );

export const DatasetFormat = z
  .enum(['csv', 'jsonl'])
  .optional()
  .describe('How the file is written; guessed from its first character (`{` → JSONL) when left out.');

/** A row left out of training, by its 1-based line in the file. */
export const SkippedRow = z.object({ line: z.int(), reason: z.string() });

export const ColumnName = z.string().min(1).max(200);
