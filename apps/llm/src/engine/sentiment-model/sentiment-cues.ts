import type { LexiconScores } from './lexicon-scores.js';
import type { TextTokens } from './tokenise-text.js';

/**
 * Cues that single words miss: a polite request that chases ("I would be grateful if you could
 * finally…, the third time I have written") is a complaint, and praise next to a failure is
 * usually sarcasm or a "nice app but…" review. Each cue is a count over the token stream.
 */
const cuePatterns: readonly (readonly [string, RegExp])[] = [
  ['persistence', /\b(still|again|yet|anymore|repeatedly|chas(e|ed|ing)|following up|follow up|reminder|previous|per my last)\b/g],
  ['nth_time', /\b((second|third|fourth|fifth|sixth|tok_num (st|nd|rd|th)) time|(two|three|four|five|six|several|multiple|tok_num) (times|emails|messages|calls|attempts|agents|people|different))\b/g],
  ['waiting', /\b(wait|waits|waiting|waited|on hold)\b/g],
  ['duration', /\b(days|weeks|months|fortnight|hours|ages|week|month)\b/g],
  ['finally', /\bfinally\b/g],
  ['refund', /\b(refund|refunds|refunded|money back|compensation|reimburse\w*|chargeback)\b/g],
  ['unacceptable', /\b(unacceptable|not acceptable|not good enough|appalling|disgrace\w*|outrageous)\b/g],
  ['escalation', /\b(manager|escalat\w*|complain\w*|trading standards|ombudsman|dispute|cancel\w*)\b/g],
  ['failure', /\b(broken|faulty|damaged|missing|crash\w*|error|fail\w*|not working|doesnt work|didnt work|stopped working|wrong|lost|late|delayed)\b/g],
  ['polite', /\b(please|kindly|grateful|appreciate|would you|could you|would like|if you could|in advance)\b/g],
  ['thanks_in_advance', /\b(thanks|thank you) in advance\b/g],
  ['promise', /\b(promised|assured|guaranteed|told me|was told)\b/g],
  ['why', /\bwhy\b/g],
  // Figures, references and dates are what invoices, notices and news are made of: a neutral prior.
  ['figure', /\btok_num\b/g],
  ['money', /\b(eur|gbp|usd|vat|subtotal|total|balance|invoice|receipt|remittance|instalments?)\b/g],
  ['calendar', /\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|july|august|september|october|november|december|tomorrow|next week)\b/g],
]; // prettier-ignore

const grievances = [
  'persistence',
  'nth_time',
  'waiting',
  'finally',
  'refund',
  'unacceptable',
  'escalation',
  'failure',
  'promise',
];

const questionStarts = new Set([
  'what', 'when', 'where', 'which', 'who', 'whom', 'whose', 'how', 'can', 'could', 'do', 'does', 'did',
  'is', 'are', 'was', 'will', 'would', 'should', 'may', 'have', 'has', 'any',
]); // prettier-ignore

const numberWords: Record<string, number> = { zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5 };

/** A rating written in the text ("4/5", "10/10", "2 stars", "five stars", "★★★☆☆") as a share of the best. */
function ratingShare(text: string): number | undefined {
  const outOf = /(?<![\d.])(\d{1,2}(?:\.\d)?)\s*(?:\/|out of)\s*(5|10)(?!\d)/i.exec(text);
  if (outOf?.[1] && outOf[2]) {
    const share = Number(outOf[1]) / Number(outOf[2]);
    if (share <= 1) return share;
  }
  const stars = /\b([0-5]|zero|one|two|three|four|five)\s*stars?\b/i.exec(text);
  if (stars?.[1]) return (numberWords[stars[1].toLowerCase()] ?? Number(stars[1])) / 5;
  const filled = text.match(/[⭐★]/gu)?.length ?? 0;
  const empty = text.match(/☆/g)?.length ?? 0;
  if (filled + empty === 0) return undefined;
  const best = filled + empty === 10 ? 10 : 5;
  return Math.min(filled, best) / best;
}

export function sentimentCues(
  text: string,
  { tokens, shouted, elongated }: TextTokens,
  lexicon: LexiconScores,
) {
  const joined = ` ${tokens.join(' ')} `;
  const counts = new Map<string, number>();
  for (const [name, pattern] of cuePatterns) {
    const count = joined.match(pattern)?.length ?? 0;
    if (count > 0) counts.set(name, count);
  }
  const grievance = grievances.some((name) => counts.has(name));
  if (counts.has('polite') && grievance) counts.set('polite_grievance', 1);
  if (lexicon.positive > 0 && grievance) counts.set('praise_with_grievance', 1);
  const words = tokens.filter((token) => /^\p{L}/u.test(token));
  const first = words[0];
  if (first !== undefined && questionStarts.has(first)) counts.set('question_start', 1);
  const question = tokens.filter((token) => token === '?').length;
  const exclaim = tokens.filter((token) => token === '!').length;
  if (question > 0) counts.set('question', question);
  if (tokens.at(-1) === '?') counts.set('ends_with_question', 1);
  if (exclaim > 0) counts.set('exclaim', exclaim);
  if (/!{2,}|\?{2,}|[!?]{3,}/.test(text)) counts.set('punctuation_run', 1);
  if (shouted > 0) counts.set('shouted', shouted);
  if (elongated > 0) counts.set('elongated', elongated);
  if (tokens.includes('…')) counts.set('ellipsis', 1);
  // Scare quotes around a word or two ("express" delivery, the "24/7" helpline) are mostly irony.
  const scareQuotes = text.match(/["“][^"”\s]+(?:\s[^"”\s]+){0,2}["”]/g)?.length ?? 0;
  if (scareQuotes > 0) counts.set('scare_quotes', scareQuotes);
  if (words.length <= 4) counts.set('short', 1);
  if (words.length >= 60) counts.set('long', 1);
  const amounts = text.match(/[£€$¥]\s?\d|\d\s?[£€$¥%]/gu)?.length ?? 0;
  if (amounts > 0) counts.set('amount', amounts);
  const rating = ratingShare(text);
  if (rating !== undefined)
    counts.set(rating >= 0.7 ? 'rating_high' : rating <= 0.4 ? 'rating_low' : 'rating_mid', 1);
  return counts;
}
