import { describe, expect, it } from 'vitest';
import { tokeniseText } from './tokenise-text.js';

const negatedWords = (text: string) => {
  const { tokens, negated } = tokeniseText(text);
  return tokens.filter((_, i) => negated[i]);
};

describe('tokeniseText', () => {
  it('lowercases, drops apostrophes and folds typographic quotes', () => {
    expect(tokeniseText('I DON’T think it’s FINE').tokens).toEqual(['i', 'dont', 'think', 'its', 'fine']);
  });

  it('marks the words after a negation up to punctuation', () => {
    expect(negatedWords('It is not good at all, the staff were great')).toEqual(['good', 'at', 'all']);
    expect(negatedWords("I haven't received my refund yet. Please help")).toEqual([
      'received',
      'my',
      'refund',
      'yet',
    ]);
  });

  it('ends a negation at a contrast and after six words', () => {
    expect(negatedWords('not cheap but really good')).toEqual(['cheap']);
    expect(negatedWords('never had any problems with this thing in years honestly')).toEqual([
      'had', 'any', 'problems', 'with', 'this', 'thing',
    ]); // prettier-ignore
  });

  it('turns emoji, emoticons, links, addresses and numbers into placeholder tokens', () => {
    expect(tokeniseText('Great 👍🏽 :) see https://x.io/a or a@b.com, order 55213').tokens).toEqual([
      'great', 'emo_thumbsup', 'emo_smile', 'see', 'tok_url', 'or', 'tok_email', ',', 'order', 'tok_num',
    ]); // prettier-ignore
  });

  it('counts shouting (but not acronyms) and stretched words', () => {
    const { tokens, shouted, elongated } = tokeniseText('This is UNACCEPTABLE, sooo slow, send the PDF!!!');
    expect(shouted).toBe(1);
    expect(elongated).toBe(1);
    expect(tokens).toContain('soo');
    expect(tokens.at(-1)).toBe('!');
  });
});
