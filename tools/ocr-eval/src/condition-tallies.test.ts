// Pure arithmetic, nothing outside the process: readings written here as a recognizer might misread
// the truth, scored by the real characterErrorRate.
import { describe, expect, it } from 'vitest';
import { conditionTable, type Tallies, tallyPage } from './condition-tallies.js';

// 38 characters once the line break is a space, and 12.
const items = { set: 'layouts', condition: 'clean', truth: 'Pallet wrap 54.00\nSteel brackets 87.50\n' };
const total = { set: 'layouts', condition: 'clean', truth: 'TOTAL 141.50' };
const totalAsText = { ...total, condition: 'text PDF' };

/** As the evaluation reads: tesseract.js every page, the CLI no PDF, no native engine. */
function readAll(): { tesseractJs: Tallies; native: Tallies; cli: Tallies } {
  const tesseractJs: Tallies = new Map();
  // One substitution; the blank line is whitespace, not an edit.
  expect(tallyPage(tesseractJs, items, 'Pallet wrap 54.0O\n\nSteel brackets 87.50', 1)).toBeCloseTo(1 / 38);
  // A substitution and a deletion.
  expect(tallyPage(tesseractJs, total, 'T0TAL 141.5', 3)).toBeCloseTo(2 / 12);
  expect(tallyPage(tesseractJs, totalAsText, 'TOTAL 141.50\n', 0.5)).toBe(0);
  const cli: Tallies = new Map();
  tallyPage(cli, items, items.truth, 2);
  tallyPage(cli, total, 'TOTAL 141.50', 2);
  return { tesseractJs, native: new Map(), cli };
}

describe('tallyPage', () => {
  it("sums a condition's edits and characters (micro CER), and every page of the set under all", () => {
    const { tesseractJs } = readAll();
    const clean = tesseractJs.get('layouts: clean');
    expect(clean).toMatchObject({ chars: 50, pages: 2, seconds: 4 });
    // 3 edits over 50 characters: 6 %, where the mean of the two pages' CERs would be 9.6 %.
    expect(clean?.edits).toBeCloseTo(3);
    expect(tesseractJs.get('layouts: text PDF')).toMatchObject({ edits: 0, chars: 12, pages: 1 });
    const all = tesseractJs.get('layouts: all');
    expect(all).toMatchObject({ chars: 62, pages: 3, seconds: 4.5 });
    expect(all?.edits).toBeCloseTo(3);
  });
});

describe('conditionTable', () => {
  it('gives each condition its CER per reader, n/a where a reader had no page of it', () => {
    const keys = ['layouts: clean', 'layouts: text PDF', 'layouts: all'];
    expect(conditionTable(keys, readAll()).slice(2)).toEqual([
      '| layouts: clean | 2 | 50 | 6.0 % | n/a | 0.0 % | 2.00 s, n/a, 2.00 s |',
      '| layouts: text PDF | 1 | 12 | 0.0 % | n/a | n/a | 0.50 s, n/a, n/a |',
      '| layouts: all | 3 | 62 | 4.8 % | n/a | 0.0 % | 1.50 s, n/a, 2.00 s |',
    ]);
  });
});
