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
  /** Standard deviation of the noise added to each point. */
  sigma?: number;
  /** Student-t noise with this many degrees of freedom (an integer above 2) instead of Gaussian noise. */
  degreesOfFreedom?: number;
}

/**
 * A Student-t draw with ν degrees of freedom, z / √(χ²ν / ν), scaled to unit variance (t's is ν / (ν − 2))
 * so that σ means the same for every noise shape.
 */
export function seededStudentT(seed: number, degreesOfFreedom: number): () => number {
  if (!Number.isInteger(degreesOfFreedom) || degreesOfFreedom <= 2) {
    throw new Error(`degrees of freedom must be an integer above 2, got ${degreesOfFreedom}`);
  }
  const gaussian = seededGaussian(seed);
  const unitVariance = Math.sqrt((degreesOfFreedom - 2) / degreesOfFreedom);
  return () => {
    const z = gaussian();
    let chiSquare = 0;
    for (let k = 0; k < degreesOfFreedom; k++) chiSquare += gaussian() ** 2;
    return (unitVariance * z) / Math.sqrt(chiSquare / degreesOfFreedom);
  };
}

/**
 * level + slope·t + amplitude·sin(2πt / season) + σ·noise (standard normal, or unit-variance Student-t),
 * one point per day or week in UTC. `mean` is the same process without its noise.
 */
export function syntheticSeries(options: SyntheticSeriesOptions): {
  series: { timestamp: string; value: number }[];
  mean: number[];
} {
  const { seed, length, frequency = 'daily', level = 100, slope = 0.05, seasonLength = 7 } = options;
  const { amplitude = 10, sigma = 2, start = '2022-01-03T00:00:00Z', degreesOfFreedom } = options;
  const step = frequency === 'daily' ? 86_400_000 : 604_800_000;
  const noise =
    degreesOfFreedom === undefined ? seededGaussian(seed) : seededStudentT(seed, degreesOfFreedom);
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
