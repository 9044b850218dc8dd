import { seededRandom } from './synthetic-series.js';

/** A small labelled transaction set with a known logistic process: amount, channel and a country interaction. */
export function syntheticTransactions(rows: number, seed: number, options: { oneClass?: boolean } = {}) {
  const random = seededRandom(seed);
  const channels = ['web', 'pos', 'app'] as const;
  const risk = { web: 0.8, pos: -0.8, app: 0 };
  return Array.from({ length: rows }, (_, i) => {
    const amount = Math.round(random() * 500 * 100) / 100;
    const foreign = random() < 0.2 ? 1 : 0;
    const channel = channels[Math.floor(random() * 3)] ?? 'web';
    const logit = -3 + 0.006 * amount + 1 * foreign + 0.004 * amount * foreign + risk[channel];
    const label = options.oneClass ? 0 : random() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
    return {
      time: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
      amount,
      foreign,
      channel,
      label,
    };
  });
}

export type SyntheticTransactionRow = ReturnType<typeof syntheticTransactions>[number];

export const transactionsCsv = (rows: readonly SyntheticTransactionRow[]): string =>
  [
    'time,amount,foreign,channel,label',
    ...rows.map((r) => `${r.time},${r.amount},${r.foreign},${r.channel},${r.label}`),
  ].join('\n') + '\n';
