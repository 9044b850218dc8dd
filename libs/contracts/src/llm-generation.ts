import { z } from 'zod';

/** The generative backends a deployment can configure (`local` is the embedded, non-generative default). */
export const GenerativeProviderName = z.enum(['openai', 'ollama', 'llama-cpp']);
export type GenerativeProviderName = z.infer<typeof GenerativeProviderName>;

export const TokenUsage = z.object({
  prompt_tokens: z.number().int().nonnegative(),
  completion_tokens: z.number().int().nonnegative(),
});
export type TokenUsage = z.infer<typeof TokenUsage>;

/** What every LLM-generated output names: who generated it and what it cost, summed over its tries. */
export const GenerationInfo = {
  provider: GenerativeProviderName,
  model: z.string().describe('The model the provider ran (a name, or the GGUF file name)'),
  usage: TokenUsage.describe('Tokens read and written, summed over every request this job made'),
};

/**
 * The same fields on the job types the embedded `local` provider can also serve (summarize, intent,
 * classify, sentiment): present when a generative provider answered, absent otherwise.
 */
export const optionalGeneration = {
  provider: GenerationInfo.provider
    .optional()
    .describe('The generative provider that answered; absent on `local`'),
  model: GenerationInfo.model.optional(),
  usage: GenerationInfo.usage.optional(),
};

/** A caller's text: not blank, at most `maxLength` characters (422 at the gateway otherwise). */
export const llmText = (maxLength: number, description: string) =>
  z
    .string()
    .refine((text) => text.trim() !== '', 'text must not be empty or whitespace')
    .refine((text) => text.length <= maxLength, `text must be at most ${maxLength} characters`)
    .describe(description);
