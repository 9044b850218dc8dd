import { z } from 'zod';

/**
 * The `text` field of the language job types: not empty or whitespace, at most `max` characters.
 * The gateway answers 422 with the path and message before anything is queued.
 */
export const languageText = (max: number, description: string) =>
  z
    .string()
    .refine((text) => text.trim() !== '', 'text must not be empty or whitespace')
    .refine((text) => text.length <= max, `text must be at most ${max} characters`)
    .describe(description);

/** A label or intent the caller defines; `none` is reserved for "nothing fits". */
export const LabelName = z
  .string()
  .regex(
    /^[\p{L}\p{N}][\p{L}\p{N} _./-]{0,63}$/u,
    'must be 1-64 letters, digits, spaces or _ . / -, starting with a letter or digit',
  )
  .refine((name) => name !== 'none', '"none" is reserved for "nothing fits"');

/** A label of `llm.classify` or an intent of `llm.intent`, taught by its examples. */
export const LabelDefinition = z.object({
  name: LabelName,
  description: z.string().max(1_000).optional().describe('What the label means; also read as an example'),
  examples: z
    .array(z.string().trim().min(1).max(2_000))
    .max(200)
    .optional()
    .describe('Texts that carry this label; the local provider learns from them (5 per label is plenty)'),
});
export type LabelDefinition = z.infer<typeof LabelDefinition>;

/** At least one, at most 100, names unique. */
export const labelSet = (noun: string) =>
  z
    .array(LabelDefinition)
    .min(1, `give at least one ${noun}`)
    .max(100, `at most 100 ${noun}s`)
    .refine(
      (labels) => new Set(labels.map((label) => label.name)).size === labels.length,
      `${noun} names must not repeat`,
    );
