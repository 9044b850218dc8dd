import { seededRandom } from './seeded-random.js';

/**
 * Card transactions with a known fraud process. Each row:
 * - `time`: ascending, about 40 s apart from 2026-01-01;
 * - `amount` ~ Gamma(2, 40) (mean 80); `hour` uniform 0–23 (no effect: a distractor);
 * - `account_age_days` ~ Exponential(mean 400); `txn_count_24h` ~ Poisson(2);
 * - `country_mismatch` ~ Bernoulli(0.1); `merchant_category` one of six with the shares below;
 * - `is_fraud` ~ Bernoulli(sigmoid(logit)), where
 *   logit = −5.4 + 0.012·amount + 1.2·country_mismatch + 0.012·amount·country_mismatch
 *           − 0.002·account_age_days + 0.25·txn_count_24h + merchant risk.
 * The process is logistic in these columns with one interaction, so the model family can reach the
 * Bayes-optimal AUC (that of the true probability, `probability`), and the gap measures the fit alone.
 */
export interface SyntheticTransaction {
  time: string;
  amount: number;
  hour: number;
  account_age_days: number;
  txn_count_24h: number;
  country_mismatch: number;
  merchant_category: string;
  is_fraud: number;
  /** The generating process's own probability: not a column of the file. */
  probability: number;
}

const merchants = [
  { name: 'grocery', share: 0.35, risk: -0.5 },
  { name: 'fuel', share: 0.2, risk: -0.3 },
  { name: 'electronics', share: 0.15, risk: 0.6 },
  { name: 'travel', share: 0.1, risk: 0.4 },
  { name: 'gaming', share: 0.1, risk: 0.9 },
  { name: 'other', share: 0.1, risk: 0 },
] as const;

const fraudColumns = [
  'time',
  'amount',
  'hour',
  'account_age_days',
  'txn_count_24h',
  'country_mismatch',
  'merchant_category',
  'is_fraud',
] as const;

export function syntheticFraud(rows: number, seed: number): SyntheticTransaction[] {
  const random = seededRandom(seed);
  const exponential = (mean: number) => -mean * Math.log(1 - random());
  const poisson = (mean: number) => {
    let k = 0;
    for (let p = random(); p > Math.exp(-mean); p *= random()) k += 1;
    return k;
  };
  let time = Date.parse('2026-01-01T00:00:00Z');
  return Array.from({ length: rows }, () => {
    time += Math.round(exponential(40_000));
    const amount = Math.round((exponential(40) + exponential(40)) * 100) / 100;
    const mismatch = random() < 0.1 ? 1 : 0;
    const age = Math.round(exponential(400));
    const count = poisson(2);
    let pick = random();
    const merchant = merchants.find((m) => (pick -= m.share) < 0) ?? merchants[0];
    const logit =
      -5.4 +
      0.012 * amount +
      1.2 * mismatch +
      0.012 * amount * mismatch -
      0.002 * age +
      0.25 * count +
      merchant.risk;
    const probability = 1 / (1 + Math.exp(-logit));
    return {
      time: new Date(time).toISOString(),
      amount,
      hour: Math.floor(random() * 24),
      account_age_days: age,
      txn_count_24h: count,
      country_mismatch: mismatch,
      merchant_category: merchant.name,
      is_fraud: random() < probability ? 1 : 0,
      probability,
    };
  });
}

/** The rows as the CSV file a caller would upload (no quoting needed: no value has a comma). */
export const toCsv = (rows: readonly SyntheticTransaction[]): string =>
  [fraudColumns.join(','), ...rows.map((row) => fraudColumns.map((column) => row[column]).join(','))].join(
    '\n',
  ) + '\n';
