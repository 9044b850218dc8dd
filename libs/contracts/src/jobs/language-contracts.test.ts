import { describe, expect, it } from 'vitest';
import { LlmClassifyInput } from './llm-classify.js';
import { LlmIntentInput } from './llm-intent.js';
import { LlmSummarizeInput, maxSummarizeTextLength } from './llm-summarize.js';

const issues = (result: {
  success: boolean;
  error?: { issues: { path: PropertyKey[]; message: string }[] };
}) => (result.success ? [] : (result.error?.issues ?? []).map((issue) => [issue.path, issue.message]));

describe('language contracts', () => {
  it('llm.summarize takes a text or a file, with defaults for length and style', () => {
    expect(LlmSummarizeInput.parse({ text: 'Some text.' })).toEqual({
      text: 'Some text.',
      length: { sentences: 3 },
      style: 'paragraph',
    });
    expect(
      LlmSummarizeInput.parse({ file: { blob_id: 'b1' }, length: { words: 50 }, style: 'bullets' }),
    ).toMatchObject({
      file: { blob_id: 'b1' },
    });
    expect(issues(LlmSummarizeInput.safeParse({}))).toEqual([
      [['text'], 'give one of `text`, `file` or `source`'],
    ]);
    expect(issues(LlmSummarizeInput.safeParse({ text: 'a', file: { blob_id: 'b1' } }))).toHaveLength(1);
    expect(
      issues(LlmSummarizeInput.safeParse({ text: 'a', length: { sentences: 2, words: 9 } })),
    ).not.toEqual([]);
    expect(issues(LlmSummarizeInput.safeParse({ text: 'a'.repeat(maxSummarizeTextLength + 1) }))).toEqual([
      [['text'], `text must be at most ${maxSummarizeTextLength} characters`],
    ]);
  });

  it('llm.summarize takes a source job only once the gateway has filled in its text', () => {
    expect(LlmSummarizeInput.parse({ source: { job_id: 'j1', text: 'The OCR text.' } })).toMatchObject({
      source: { job_id: 'j1', path: 'text', text: 'The OCR text.' },
    });
    expect(issues(LlmSummarizeInput.safeParse({ source: { job_id: 'j1' } }))).toEqual([
      [
        ['source'],
        'a `source` is read by the gateway when the job is submitted with POST /v1/jobs/llm.summarize or in a batch; schedules and pipelines take `text`',
      ],
    ]);
    expect(issues(LlmSummarizeInput.safeParse({ source: { job_id: 'j1', text: ' \n' } }))).toEqual([
      [['source', 'text'], "the source job's text is empty or whitespace"],
    ]);
    const long = 'a'.repeat(maxSummarizeTextLength + 1);
    expect(issues(LlmSummarizeInput.safeParse({ source: { job_id: 'j1', text: long } }))).toEqual([
      [['source', 'text'], `the source job's text must be at most ${maxSummarizeTextLength} characters`],
    ]);
    expect(
      issues(LlmSummarizeInput.safeParse({ source: { job_id: 'j1', path: 'pages[*].text', text: 'x' } })),
    ).toEqual([[['source', 'path'], 'a path into the output such as `text`, `summary` or `pages[0].text`']]);
  });

  it('refuses an empty label set, repeated names and the reserved name "none"', () => {
    expect(issues(LlmClassifyInput.safeParse({ text: 'hi', labels: [] }))).toEqual([
      [['labels'], 'give at least one label'],
    ]);
    expect(issues(LlmIntentInput.safeParse({ text: 'hi', intents: [{ name: 'a' }, { name: 'a' }] }))).toEqual(
      [[['intents'], 'intent names must not repeat']],
    );
    expect(issues(LlmIntentInput.safeParse({ text: 'hi', intents: [{ name: 'none' }] }))).toEqual([
      [['intents', 0, 'name'], '"none" is reserved for "nothing fits"'],
    ]);
  });

  it("refuses an empty text with the platform's message", () => {
    expect(issues(LlmIntentInput.safeParse({ text: '  ', intents: [{ name: 'a' }] }))).toEqual([
      [['text'], 'text must not be empty or whitespace'],
    ]);
  });
});
