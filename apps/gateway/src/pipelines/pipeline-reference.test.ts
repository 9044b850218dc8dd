import { describe, expect, it } from 'vitest';
import { parseReference, resolveMapping } from './pipeline-reference.js';

describe('pipeline references', () => {
  it('parses the four sources, indexes and [*]', () => {
    expect(parseReference('$input.file')).toEqual({ source: 'input', path: ['file'] });
    expect(parseReference('$item')).toEqual({ source: 'item', path: [] });
    expect(parseReference('$run.id')).toEqual({ source: 'run', path: ['id'] });
    expect(parseReference('$steps.ocr.output.pages[*].text')).toEqual({
      source: 'step',
      step: 'ocr',
      path: ['pages', '*', 'text'],
    });
    expect(parseReference('$steps.ocr.output.pages[2]')).toEqual({
      source: 'step',
      step: 'ocr',
      path: ['pages', 2],
    });
  });

  it('refuses what is not a reference', () => {
    for (const text of [
      '$steps.ocr.text',
      '$inputs.a',
      '$runs.id',
      '$input..a',
      '$steps.Ocr.output',
      '$input.a[x]',
    ]) {
      expect(parseReference(text), text).toBeNull();
    }
  });

  it('builds an input: references replaced, literals kept, paths that lead nowhere left out', () => {
    const scope = {
      run: { id: 'r1' },
      input: { file: { blob_id: 'b' } },
      steps: new Map<string, unknown>([['ocr', { pages: [{ text: 'a' }, { text: 'b' }] }]]),
      item: 3,
    };
    expect(
      resolveMapping(
        {
          file: '$input.file',
          texts: '$steps.ocr.output.pages[*].text',
          n: '$item',
          about: { run: '$run.id' },
          keep: 1,
          gone: '$input.nope',
        },
        scope,
      ),
    ).toEqual({ file: { blob_id: 'b' }, texts: ['a', 'b'], n: 3, about: { run: 'r1' }, keep: 1 });
  });
});
