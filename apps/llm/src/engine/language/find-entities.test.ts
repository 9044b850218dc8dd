import { beforeAll, describe, expect, it } from 'vitest';
import { loadEnglishReader, type ReadEnglish } from './english-nlp.js';
import { findEntities } from './find-entities.js';

// Real: wink-nlp with its English model, compromise, ibantools.
let read: ReadEnglish;
beforeAll(() => {
  read = loadEnglishReader();
});
const entitiesOf = (text: string) => findEntities(text, read(text).entities);

describe('findEntities', () => {
  it('finds IBANs that pass mod 97, and not the ones that fail', () => {
    const text = 'Pay to GB82 WEST 1234 5698 7654 32 BIC WESTGB2L, not to GB82 WEST 1234 5698 7654 33.';
    const ibans = entitiesOf(text).filter((e) => e.type === 'iban');
    expect(ibans).toEqual([
      {
        type: 'iban',
        text: 'GB82 WEST 1234 5698 7654 32',
        start: 7,
        end: 34,
        normalized: 'GB82WEST12345698765432',
      },
    ]);
  });

  it('finds amounts with signs or codes, e-mails, dates and names at their offsets', () => {
    const text =
      'Maria Lopez from Acme Corp in Madrid paid 49,90 € and USD 1,200 on 3 May 2024; write to Sales@Acme.com.';
    const entities = entitiesOf(text);
    for (const entity of entities) expect(text.slice(entity.start, entity.end)).toBe(entity.text);
    expect(entities.map((e) => [e.type, e.text])).toEqual(
      expect.arrayContaining([
        ['person', 'Maria Lopez'],
        ['place', 'Madrid'],
        ['amount', '49,90 €'],
        ['amount', 'USD 1,200'],
        ['date', '3 May 2024'],
        ['email', 'Sales@Acme.com'],
      ]),
    );
    expect(entities.find((e) => e.type === 'email')?.normalized).toBe('sales@acme.com');
  });

  it('does not take a form of address for a person', () => {
    expect(entitiesOf('Dear Sir, thank you.').filter((e) => e.type === 'person')).toEqual([]);
  });
});
