import { emojiNames, emoticonNames } from './emoji-names.js';

export interface TextTokens {
  /**
   * Lowercased tokens in text order: words (apostrophes dropped, so "don't" is "dont"; letters
   * repeated 3+ times cut to 2), `tok_url` / `tok_email` / `tok_mention` / `tok_num`
   * placeholders, `emo_<name>` for emoji and emoticons, and the punctuation `. , ; : ! ? …`.
   */
  tokens: string[];
  /** Per token: inside the scope of a negation ("not", "never", "no", "n't"…). */
  negated: boolean[];
  /** Words of 3+ letters written in capitals that are not common acronyms. */
  shouted: number;
  /** Words with a letter repeated 3+ times ("sooo"). */
  elongated: number;
}

const negators = new Set([
  'not', 'no', 'never', 'nothing', 'nobody', 'none', 'neither', 'nor', 'cannot', 'without', 'hardly',
  'barely', 'nowhere', 'dont', 'doesnt', 'didnt', 'isnt', 'wasnt', 'arent', 'werent', 'cant', 'couldnt',
  'wont', 'wouldnt', 'shouldnt', 'havent', 'hasnt', 'hadnt', 'aint', 'mustnt', 'neednt', 'nt',
]); // prettier-ignore

/** A negation reaches past neither punctuation nor a contrast ("not cheap, but good"). */
const scopeBreakers = new Set([
  '.',
  ',',
  ';',
  ':',
  '!',
  '?',
  '…',
  'but',
  'however',
  'although',
  'though',
  'except',
]);

/** A negation scope ends after this many words even without punctuation (chat messages rarely have any). */
const maxScope = 6;

const acronyms = new Set([
  'API', 'PDF', 'VAT', 'CEO', 'CSV', 'SSO', 'SSL', 'TLS', 'MFA', 'NPS', 'AWS', 'GDPR', 'FAQ', 'USB', 'SMS',
  'DPA', 'CRM', 'ETA', 'FYI', 'BTW', 'USA', 'NHS', 'ATM', 'PIN', 'URL', 'SLA', 'CSAT', 'BST', 'UTC', 'GMT',
  'EST', 'PST', 'DHL', 'UPS', 'TNT', 'DPD', 'ISP', 'IOS', 'APP', 'HTTP', 'HTML', 'JSON', 'SQL', 'DNS', 'VPN',
  'OOM', 'CPU', 'GPU', 'RAM', 'LED', 'LCD', 'HDMI', 'QR', 'EU', 'UK', 'US', 'PO', 'ID',
]); // prettier-ignore

const tokenPattern = new RegExp(
  [
    String.raw`(?<url>https?:\/\/\S+|www\.\S+)`,
    String.raw`(?<email>[\w.+-]+@[\w-]+\.[\w.-]+)`,
    String.raw`(?<mention>@\w+)`,
    String.raw`(?<emoticon><\/3|<3|[:;=]'?-?[)(\]\[dDpP\/\\|oO](?![\p{L}\p{N}])|\b[xX][dD]\b)`,
    String.raw`(?<number>\d+(?:[.,:\/]\d+)*)`,
    String.raw`(?<word>[\p{L}\p{M}]+(?:'[\p{L}\p{M}]+)*)`,
    String.raw`(?<ellipsis>\.{2,}|…)`,
    String.raw`(?<punct>[!?]+|[.,;:])`,
    String.raw`(?<emoji>\p{Extended_Pictographic}|[★☆])`,
  ].join('|'),
  'gu',
);

/** Typographic variants folded to the ASCII a keyboard types, so that both spellings share features. */
function normalise(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u2018\u2019\u201B\u02BC\u0060\u00B4]/g, "'")
    .replace(/[\u201C\u201D\u201E]/g, '"')
    .replace(/\uFE0F|\u200D|\p{Emoji_Modifier}/gu, '');
}

function wordToken(word: string, counts: { shouted: number; elongated: number }): string {
  const bare = word.replace(/'/g, '');
  if (bare.length >= 3 && bare === bare.toUpperCase() && bare !== bare.toLowerCase() && !acronyms.has(bare)) {
    counts.shouted++;
  }
  const lower = bare.toLowerCase();
  const shortened = lower.replace(/(\p{L})\1{2,}/gu, '$1$1');
  if (shortened !== lower) counts.elongated++;
  return shortened;
}

/** Splits text into the tokens the sentiment features are built from, and marks negation scopes. */
export function tokeniseText(text: string): TextTokens {
  const tokens: string[] = [];
  const counts = { shouted: 0, elongated: 0 };
  for (const match of normalise(text).matchAll(tokenPattern)) {
    const groups = match.groups ?? {};
    if (groups['url'] !== undefined) tokens.push('tok_url');
    else if (groups['email'] !== undefined) tokens.push('tok_email');
    else if (groups['mention'] !== undefined) tokens.push('tok_mention');
    else if (groups['emoticon'] !== undefined) {
      tokens.push(`emo_${emoticonNames.get(groups['emoticon'].toLowerCase()) ?? 'other'}`);
    } else if (groups['number'] !== undefined) tokens.push('tok_num');
    else if (groups['word'] !== undefined) tokens.push(wordToken(groups['word'], counts));
    else if (groups['ellipsis'] !== undefined) tokens.push('…');
    else if (groups['punct'] !== undefined) {
      const run = groups['punct'];
      if (run.includes('?')) tokens.push('?');
      if (run.includes('!')) tokens.push('!');
      if (!/[!?]/.test(run)) tokens.push(run);
    } else if (groups['emoji'] !== undefined) {
      tokens.push(`emo_${emojiNames.get(groups['emoji']) ?? 'other'}`);
    }
  }
  return { tokens, negated: markNegation(tokens), ...counts };
}

function markNegation(tokens: readonly string[]): boolean[] {
  const negated = tokens.map(() => false);
  let remaining = 0;
  tokens.forEach((token, i) => {
    if (scopeBreakers.has(token)) {
      remaining = 0;
    } else if (negators.has(token)) {
      remaining = maxScope;
    } else if (remaining > 0) {
      negated[i] = true;
      remaining--;
    }
  });
  return negated;
}
