import { GantryError } from '@gantry/contracts';
import { describe, expect, it } from 'vitest';
import { applyMalformedPolicy, readDataset } from './read-dataset.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('readDataset', () => {
  it('reads CSV rows with the line each ends on, and names the malformed ones', () => {
    const { rows, malformed } = readDataset(bytes('a,b\n1,2\n3\n\n"4\n5",6\n7,8,9\n10,11\n'));
    expect(rows.map((row) => [row.line, row.values])).toEqual([
      [2, { a: '1', b: '2' }],
      [6, { a: '4\n5', b: '6' }],
      [8, { a: '10', b: '11' }],
    ]);
    expect(malformed.map((row) => row.line)).toEqual([3, 7]);
  });

  it('reads JSONL, guessing the format from the first character, and names bad lines', () => {
    const { rows, malformed } = readDataset(bytes('{"a":1}\n\n[1]\n{"a":\n{"a":2}\n'));
    expect(rows.map((row) => [row.line, row.values])).toEqual([
      [1, { a: 1 }],
      [5, { a: 2 }],
    ]);
    expect(malformed).toEqual([
      { line: 3, reason: 'not a JSON object' },
      { line: 4, reason: expect.stringContaining('not JSON') },
    ]);
  });

  it('fails naming every malformed line, or hands them back to be reported', () => {
    const malformed = [
      { line: 9, reason: 'b' },
      { line: 4, reason: 'a' },
    ];
    expect(applyMalformedPolicy(malformed, 'skip').map((row) => row.line)).toEqual([4, 9]);
    const error = (() => {
      try {
        return applyMalformedPolicy(malformed, 'fail');
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(GantryError);
    expect((error as GantryError).code).toBe('DATASET_INVALID');
    expect((error as GantryError).message).toContain('line 4');
  });
});
