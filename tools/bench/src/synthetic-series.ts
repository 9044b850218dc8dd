/** A seeded PRNG (mulberry32): the same series on every run, so runs compare. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Daily demand-like series: trend, weekly and yearly seasons and noise, starting 2023-01-01. */
export function syntheticDailySeries(days: number, seed = 42): { timestamp: string; value: number }[] {
  const next = random(seed);
  const start = Date.UTC(2023, 0, 1);
  return Array.from({ length: days }, (_, t) => ({
    timestamp: new Date(start + t * 86_400_000).toISOString(),
    value:
      Math.round(
        (100 +
          0.05 * t +
          12 * Math.sin((2 * Math.PI * t) / 7) +
          8 * Math.sin((2 * Math.PI * t) / 365.25) +
          (next() - 0.5) * 6) *
          100,
      ) / 100,
  }));
}
