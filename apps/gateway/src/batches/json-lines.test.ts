import { describe, expect, it } from 'vitest';
import { jsonLines } from './json-lines.js';

async function* streamOf(chunks: (string | Buffer)[]) {
  yield* chunks;
}

const read = async (chunks: (string | Buffer)[]) => {
  const values: unknown[] = [];
  for await (const value of jsonLines(streamOf(chunks), 1_000)) values.push(value);
  return values;
};

describe('jsonLines', () => {
  it('ignores a leading byte order mark, as a JSON body does, even split across chunks', async () => {
    expect(await read([Buffer.from('\uFEFF{"a":1}\n{"a":2}\n')])).toEqual([{ a: 1 }, { a: 2 }]);
    const bom = Buffer.from('\uFEFF{"a":1}');
    expect(await read([bom.subarray(0, 2), bom.subarray(2)])).toEqual([{ a: 1 }]);
    expect(await read(['\uFEFF{"a":1}\r\n\r\n{"a":2}'])).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it('keeps a byte order mark anywhere else as the text it is', async () => {
    await expect(read(['{"a":1}\n\uFEFF{"a":2}\n'])).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      details: { line: 2 },
    });
    expect(await read(['{"a":"\uFEFF"}'])).toEqual([{ a: '\uFEFF' }]);
  });
});
