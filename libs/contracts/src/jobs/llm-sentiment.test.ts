import { describe, expect, it } from 'vitest';
import {
  LlmSentiment,
  LlmSentimentInput,
  LlmSentimentOutput,
  maxSentimentTextLength,
} from './llm-sentiment.js';

/** The issues the gateway would answer 422 with, as [path, message] pairs. */
function issues(input: unknown): [PropertyKey[], string][] {
  const result = LlmSentimentInput.safeParse(input);
  return result.success ? [] : result.error.issues.map((issue) => [issue.path, issue.message]);
}

describe('LlmSentiment contract', () => {
  it('is an llm job with the validated input and output', () => {
    expect(LlmSentiment.type).toBe('llm.sentiment');
    expect(LlmSentiment.queue).toBe('llm');
    expect(LlmSentiment.input).toBe(LlmSentimentInput);
    expect(LlmSentiment.output).toBe(LlmSentimentOutput);
  });

  it('accepts a text and keeps it as written', () => {
    expect(LlmSentimentInput.parse({ text: '  Thanks, all sorted!  ' })).toEqual({
      text: '  Thanks, all sorted!  ',
    });
  });

  it.each(['', '   ', '\n\t '])('rejects the empty or whitespace text %j at path ["text"]', (text) => {
    expect(issues({ text })).toEqual([[['text'], 'text must not be empty or whitespace']]);
  });

  it('rejects a missing or non-string text at path ["text"]', () => {
    expect(issues({}).map(([path]) => path)).toEqual([['text']]);
    expect(issues({ text: 42 }).map(([path]) => path)).toEqual([['text']]);
  });

  it(`caps the text at ${maxSentimentTextLength} characters`, () => {
    expect(issues({ text: 'a'.repeat(maxSentimentTextLength) })).toEqual([]);
    expect(issues({ text: 'a'.repeat(maxSentimentTextLength + 1) })).toEqual([
      [['text'], `text must be at most ${maxSentimentTextLength} characters`],
    ]);
  });

  it('describes an unsupported language as an unclassified result', () => {
    const output = { label: 'neutral', score: 0, confidence: 0, language: 'de', language_supported: false };
    expect(LlmSentimentOutput.parse(output)).toEqual(output);
    expect(LlmSentimentOutput.safeParse({ ...output, score: 1.5 }).success).toBe(false);
  });
});
