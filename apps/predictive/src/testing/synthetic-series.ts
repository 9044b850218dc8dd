/** Mulberry32: a tiny seeded PRNG, so every synthetic series is reproducible from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Standard normal draws by Box–Muller. */
export function seededGaussian(seed: number): () => number {
  const random = seededRandom(seed);
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

export interface SyntheticSeriesOptions {
  seed: number;
  /** Points in all, history and future together. */
  length: number;
  frequency?: 'daily' | 'weekly';
  start?: string;
  level?: number;
  /** Trend per step. */
  slope?: number;
  seasonLength?: number;
  /** Peak of the sinusoidal season. */
  amplitude?: number;
  /** Standard deviation of the Gaussian noise added to each point. */
  sigma?: number;
}

/**
 * level + slope·t + amplitude·sin(2πt / season) + N(0, σ²), one point per day or week in UTC.
 * `mean` is the same process without its noise.
 */
export function syntheticSeries(options: SyntheticSeriesOptions): {
  series: { timestamp: string; value: number }[];
  mean: number[];
} {
  const { seed, length, frequency = 'daily', level = 100, slope = 0.05, seasonLength = 7 } = options;
  const { amplitude = 10, sigma = 2, start = '2022-01-03T00:00:00Z' } = options;
  const step = frequency === 'daily' ? 86_400_000 : 604_800_000;
  const noise = seededGaussian(seed);
  const mean = Array.from(
    { length },
    (_, t) => level + slope * t + amplitude * Math.sin((2 * Math.PI * t) / seasonLength),
  );
  const series = mean.map((value, t) => ({
    timestamp: new Date(Date.parse(start) + t * step).toISOString(),
    value: value + sigma * noise(),
  }));
  return { series, mean };
}
