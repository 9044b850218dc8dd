export interface LatencyStats {
  n: number;
  mean: number;
  p50: number;
  p99: number;
}

/** Nearest-rank percentiles: with fewer than 100 samples p99 is the slowest one, as it should be. */
export function latencyStats(values: readonly number[]): LatencyStats {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
  return {
    n: sorted.length,
    mean: sorted.length === 0 ? Number.NaN : sorted.reduce((sum, v) => sum + v, 0) / sorted.length,
    p50: rank(0.5) ?? Number.NaN,
    p99: rank(0.99) ?? Number.NaN,
  };
}
