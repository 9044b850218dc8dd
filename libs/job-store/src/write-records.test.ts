import { describe, expect, it } from 'vitest';
import { toJsonParam } from './write-records.js';

// The jsonb parameter must be something Postgres accepts; the integration tests send it for real.
describe('toJsonParam', () => {
  it('passes ordinary JSON through unchanged', () => {
    const value = [{ text: 'héllo 😀', n: 1, nested: { a: [null, true] } }];
    expect(toJsonParam(value)).toBe(JSON.stringify(value));
  });

  it('drops NUL characters and replaces lone surrogates, in keys and values', () => {
    const value = { 'k\u0000ey': ['a\u0000b', 'x\uD800y', '\uDC00', '😀'] };
    expect(JSON.parse(toJsonParam(value))).toEqual({ key: ['ab', 'x\uFFFDy', '\uFFFD', '😀'] });
  });

  it('leaves a literal backslash-u text alone', () => {
    const value = { text: '\\u0000' };
    expect(JSON.parse(toJsonParam(value))).toEqual(value);
  });
});
