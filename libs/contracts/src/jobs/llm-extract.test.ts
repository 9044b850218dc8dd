import { describe, expect, it } from 'vitest';
import { maxJsonSchemaDepth } from '../json-schema-input.js';
import { LlmExtractInput, maxExtractTextLength } from './llm-extract.js';

const issues = (input: unknown) => LlmExtractInput.safeParse(input).error?.issues ?? [];
const invoice = { type: 'object', properties: { total: { type: 'number' } }, required: ['total'] };

describe('llm.extract input', () => {
  it('accepts a text and an object schema, keeping keywords it does not check', () => {
    const schema = { ...invoice, properties: { total: { type: 'number', exclusiveMinimum: 0 } } };
    expect(LlmExtractInput.parse({ text: 'Total: 12 EUR', schema }).schema).toEqual(schema);
  });

  it.each([
    [
      'a misspelt type',
      { type: 'object', properties: { a: { type: 'strnig' } } },
      ['schema', 'properties', 'a', 'type'],
    ],
    ['required as a string', { ...invoice, required: 'total' }, ['schema', 'required']],
    [
      'a property that is not a schema',
      { type: 'object', properties: { a: 3 } },
      ['schema', 'properties', 'a'],
    ],
    ['a root that is not an object', { type: 'string' }, ['schema']],
    ['no schema at all', undefined, ['schema']],
  ])('refuses %s, naming the path', (_name, schema, path) => {
    expect(issues({ text: 'x', schema }).map((issue) => issue.path)).toContainEqual(path);
  });

  it('refuses a schema nested past the limit without walking it recursively', () => {
    let schema: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 100_000; i++) schema = { items: schema };
    expect(issues({ text: 'x', schema })).toEqual([
      expect.objectContaining({
        path: ['schema'],
        message: `schema must nest at most ${maxJsonSchemaDepth} levels`,
      }),
    ]);
  });

  it.each([
    ['empty', ' \n'],
    ['too long', 'a'.repeat(maxExtractTextLength + 1)],
  ])('refuses a text that is %s', (_name, text) => {
    expect(issues({ text, schema: invoice }).map((issue) => issue.path)).toEqual([['text']]);
  });
});
