/** Transactions with a known process: fraud grows with amount, far more so abroad; web is riskier. */
export function transactionsCsv(
  rows: number,
  seed: number,
  options: { oneClass?: boolean } = {},
): Uint8Array {
  let state = seed;
  const random = () => (state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
  const lines = ['time,amount,foreign,channel,label'];
  for (let i = 0; i < rows; i += 1) {
    const amount = Math.round(random() * 50_000) / 100;
    const foreign = random() < 0.2 ? 1 : 0;
    const channel = ['web', 'pos', 'app'][Math.floor(random() * 3)] ?? 'web';
    const logit = -3 + 0.006 * amount + foreign + 0.004 * amount * foreign + (channel === 'web' ? 0.8 : -0.4);
    const label = !options.oneClass && random() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
    lines.push(
      `${new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString()},${amount},${foreign},${channel},${label}`,
    );
  }
  return new TextEncoder().encode(`${lines.join('\n')}\n`);
}
