// Unit test: the parse of `tesseract --list-langs`, which the engine, the tests' skip checks and the
// bench all read the CLI's tessdata directory and languages from.
import { describe, expect, it } from 'vitest';
import { parseLanguageListing } from './native-tesseract.js';

describe('parseLanguageListing', () => {
  it("reads Debian's listing: the directory without its trailing slash, the codes sorted, osd left out", () => {
    const listing =
      'List of available languages in "/usr/share/tesseract-ocr/5/tessdata/" (3):\neng\nosd\ndeu\n';
    expect(parseLanguageListing(listing)).toEqual({
      dir: '/usr/share/tesseract-ocr/5/tessdata',
      codes: ['deu', 'eng'],
    });
  });

  it('keeps script models and ignores a warning printed after the codes', () => {
    const listing =
      'List of available languages in "/opt/tessdata/" (2):\nchi_sim\nScript_Latin\n\nWarning: Invalid resolution 0 dpi.\n';
    expect(parseLanguageListing(listing)?.codes).toEqual(['Script_Latin', 'chi_sim']);
  });

  it('reads an empty directory as no codes', () => {
    expect(parseLanguageListing('List of available languages in "/empty/" (0):\n')).toEqual({
      dir: '/empty',
      codes: [],
    });
  });

  it('is null for output that is not the listing (another program, an error)', () => {
    expect(parseLanguageListing('usage: tesseract --help | --help-extra | --version\n')).toBeNull();
    expect(parseLanguageListing('')).toBeNull();
  });
});
