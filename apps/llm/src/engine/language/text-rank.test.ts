import { describe, expect, it } from 'vitest';
import { normalised } from './term-vectors.js';
import { textRank } from './text-rank.js';

const vector = (...terms: string[]) => normalised(new Map(terms.map((term) => [term, 1])));

describe('textRank', () => {
  it('ranks the sentence that resembles the others highest, scaled to 1', () => {
    const scores = textRank([
      vector('tram', 'budget'),
      vector('tram', 'budget', 'city'),
      vector('tram', 'city'),
      vector('weather'),
    ]);
    expect(scores[1]).toBe(1);
    expect(scores[3]).toBeLessThan(Math.min(scores[0] ?? 0, scores[2] ?? 0));
  });

  it('leans towards the opening when the jump favours it', () => {
    const same = [vector('a', 'b'), vector('a', 'b'), vector('a', 'b')];
    const scores = textRank(same, { teleport: [3, 1, 1] });
    expect(scores[0]).toBe(1);
    expect(scores[2]).toBeLessThan(1);
  });

  it('copes with no sentences and with sentences sharing nothing', () => {
    expect(textRank([])).toEqual([]);
    expect(textRank([vector('a'), vector('b')])).toEqual([1, 1]);
  });
});
