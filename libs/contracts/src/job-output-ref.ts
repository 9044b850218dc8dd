import { z } from 'zod';

/** Where a reference looks in the job's output when it names no path. */
const defaultOutputPath = 'text';

/** Property names and list indexes, as a pipeline reference writes them after `output`: `pages[0].text`. */
const outputPathPattern = /^[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*|\[\d+\])*$/;

/**
 * A reference to text in an earlier job's output, so a result (an OCR text, a summary) feeds another job
 * without travelling through the client. The gateway reads the job (the caller's tenant's only), checks
 * that it succeeded and fills in `text`, when the job is submitted or, for a batch item, when the item is
 * fed; a job submitted any other way (a schedule, a pipeline step) gets no such fill and is refused.
 */
export const JobOutputRef = z
  .object({
    job_id: z
      .string()
      .min(1)
      .max(100)
      .regex(/^[A-Za-z0-9_.-]+$/, 'a job id: letters, digits, "_", "." or "-"')
      .describe("A succeeded job of the caller's tenant"),
    path: z
      .string()
      .max(200)
      .regex(outputPathPattern, 'a path into the output such as `text`, `summary` or `pages[0].text`')
      .default(defaultOutputPath)
      .describe(
        "Where the text is in that job's output, as in a pipeline reference after `output`: `text` (the default), `pages[0].text`",
      ),
    text: z
      .string()
      .optional()
      .describe("Filled in by the gateway from the job's output; a value sent by the client is replaced"),
  })
  .meta({ id: 'JobOutputRef', gantry: 'job-output' });
export type JobOutputRef = z.infer<typeof JobOutputRef>;
