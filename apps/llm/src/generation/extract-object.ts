import type { LlmExtractInput } from '@gantry/contracts';
import type { GenerativeProvider } from '../providers/generative-provider.js';
import { askForObject, type ObjectAnswer } from './ask-for-object.js';

/** `llm.extract`'s request: an object valid against the caller's schema, taken from the text. */
export function extractObject(
  provider: GenerativeProvider,
  { text, schema, instructions }: LlmExtractInput,
  options: { signal?: AbortSignal; onToken?: (text: string) => void; maxTokens: number },
): Promise<ObjectAnswer> {
  return askForObject(
    provider,
    {
      system:
        'You extract data from texts. Use null or leave out what the text does not say; never invent values.',
      user: `${instructions ? `${instructions}\n\n` : ''}<text>\n${text}\n</text>`,
      schema,
    },
    options,
  );
}
