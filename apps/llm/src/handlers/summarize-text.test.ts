import { LlmSummarizeInput, maxSummarizeTextLength } from '@gantry/contracts';
import { describe, expect, it } from 'vitest';
import { recordingContext } from '../testing/handler-context.js';
import { summarizeText } from './summarize-text.js';

// A text file's content is read only by the worker: what the gateway answers for an inline `text`
// (VALIDATION_FAILED, an issue with its path), the handler answers for the file, before any engine.
const noEngines = {} as Parameters<typeof summarizeText>[2];

async function refusalOf(content: string) {
  const { ctx } = recordingContext();
  const input = LlmSummarizeInput.parse({ file: { blob_id: 'b1', media_type: 'text/plain' } });
  const read = { ...ctx, readBlob: () => Promise.resolve(Buffer.from(content)) };
  return summarizeText(input, read, noEngines).then(
    () => null,
    (error: unknown) => error,
  );
}

describe('llm.summarize of a text file', () => {
  it('refuses an empty file as the gateway refuses an empty text', async () => {
    expect(await refusalOf(' \n\t')).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { issues: [{ path: ['file'], message: 'text must not be empty or whitespace' }] },
    });
  });

  it('refuses a file over the length limit as the gateway refuses a long text', async () => {
    expect(await refusalOf('a'.repeat(maxSummarizeTextLength + 1))).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { max: maxSummarizeTextLength, issues: [{ path: ['file'] }] },
    });
  });
});
