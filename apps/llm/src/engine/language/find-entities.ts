import type { TagEntity } from '@gantry/contracts';
import nlp from 'compromise';
import { electronicFormatIBAN, isValidIBAN } from 'ibantools';
import type { EnglishEntity } from './english-nlp.js';

/** wink's entity types that map onto ours; the rest (CARDINAL, ORDINAL, TIME…) are not tags. */
const winkTypes: Partial<Record<string, TagEntity['type']>> = {
  DATE: 'date',
  MONEY: 'amount',
  EMAIL: 'email',
  URL: 'url',
};

// Amounts written with a currency code or sign before or after ("EUR 1,250.00", "49,90 €"), which
// wink's MONEY misses when the code is a word.
const currency = String.raw`(?:EUR|USD|GBP|CHF|JPY|CAD|AUD|€|\$|£|¥)`;
const number = String.raw`\d{1,3}(?:[,.' ]\d{3})*(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?`;
const amountPattern = new RegExp(
  String.raw`${currency}\s?(?:${number})|(?:${number})\s?(?:${currency}|(?:euros?|dollars?|pounds?)\b)`,
  'g',
);
// Two letters, two check digits, then 11-30 letters or digits, in groups of four or not.
const ibanPattern = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b/g;

function ibansIn(text: string): TagEntity[] {
  const found: TagEntity[] = [];
  for (const match of text.matchAll(ibanPattern)) {
    // The pattern runs on into a following code word ("… 0130 00 BIC"); shorten until mod-97 agrees.
    for (
      let candidate = match[0];
      candidate.replace(/ /g, '').length >= 15;
      candidate = candidate.slice(0, -1).trimEnd()
    ) {
      const electronic = electronicFormatIBAN(candidate) ?? '';
      if (isValidIBAN(electronic)) {
        found.push({
          type: 'iban',
          text: candidate,
          start: match.index,
          end: match.index + candidate.length,
          normalized: electronic,
        });
        break;
      }
    }
  }
  return found;
}

function amountsIn(text: string): TagEntity[] {
  return [...text.matchAll(amountPattern)].map((match) => ({
    type: 'amount' as const,
    text: match[0].trim(),
    start: match.index,
    end: match.index + match[0].trim().length,
  }));
}

/** compromise reads a bare form of address ("Dear Sir") as a person. */
const honorific = /^(?:sir|madam|mr|mrs|ms|miss|dr|prof)\.?$/i;

interface CompromiseMatch {
  text: string;
  offset: { start: number; length: number };
}

/** People, organisations and places: compromise's lexicon and grammar rules (its match offsets are characters). */
function namesIn(text: string): TagEntity[] {
  const doc = nlp(text);
  const pick = (type: TagEntity['type'], matches: CompromiseMatch[]) =>
    matches.map(({ text: name, offset }) => {
      const trimmed = name.replace(/[\s.,;:!?'"]+$/, '');
      return { type, text: trimmed, start: offset.start, end: offset.start + trimmed.length };
    });
  const json = (view: { json(options: object): unknown }) =>
    view.json({ offset: true, terms: false }) as CompromiseMatch[];
  return [
    ...pick('person', json(doc.people())),
    ...pick('organization', json(doc.organizations())),
    ...pick('place', json(doc.places())),
  ].filter((entity) => entity.text !== '' && !honorific.test(entity.text));
}

/**
 * Named entities: wink-nlp's (dates, amounts, e-mails, URLs), compromise's (people,
 * organisations, places), IBANs checked by ibantools (mod 97) and amounts with currency codes.
 * Where two overlap, the first found wins (IBAN before the numbers inside it); text order.
 */
export function findEntities(text: string, wink: readonly EnglishEntity[]): TagEntity[] {
  const fromWink: TagEntity[] = [];
  for (const entity of wink) {
    const type = winkTypes[entity.type];
    if (!type) continue;
    fromWink.push({
      type,
      text: entity.text,
      start: entity.start,
      end: entity.end,
      ...(type === 'email' ? { normalized: entity.text.toLowerCase() } : {}),
    });
  }
  const kept: TagEntity[] = [];
  for (const entity of [
    ...ibansIn(text),
    ...fromWink.filter((e) => e.type === 'email' || e.type === 'url'),
    ...amountsIn(text),
    ...fromWink,
    ...namesIn(text),
  ]) {
    if (kept.some((k) => entity.start < k.end && k.start < entity.end)) continue;
    kept.push(entity);
  }
  return kept.sort((a, b) => a.start - b.start);
}
