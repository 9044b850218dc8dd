/** Writes the gradient at `x` into `gradient` and returns the objective there. */
export type Objective = (x: Float64Array, gradient: Float64Array) => number;

export interface LbfgsOptions {
  /** Correction pairs kept. */
  memory: number;
  maxIterations: number;
  /** Stop when the largest gradient component falls below this. */
  gradientTolerance: number;
  /** Stop when an iteration lowers the objective by less than this share of it. */
  relativeTolerance: number;
}

export interface LbfgsResult {
  x: Float64Array;
  value: number;
  iterations: number;
}

const dot = (a: Float64Array, b: Float64Array) => {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] ?? 0) * (b[i] ?? 0);
  return sum;
};

const maxAbs = (a: Float64Array) => a.reduce((max, value) => Math.max(max, Math.abs(value)), 0);

/**
 * Limited-memory BFGS with a backtracking (Armijo) line search, for smooth convex objectives such
 * as L2-regularised logistic regression. Fully deterministic: no randomness, fixed operation order.
 */
export function minimiseLbfgs(objective: Objective, x0: Float64Array, options: LbfgsOptions): LbfgsResult {
  const n = x0.length;
  const x = Float64Array.from(x0);
  const gradient = new Float64Array(n);
  let value = objective(x, gradient);
  const history: { s: Float64Array; y: Float64Array; rho: number }[] = [];
  const direction = new Float64Array(n);
  const nextX = new Float64Array(n);
  const nextGradient = new Float64Array(n);
  let iterations = 0;
  while (iterations < options.maxIterations && maxAbs(gradient) > options.gradientTolerance) {
    iterations++;
    // Two-loop recursion: direction = -H·gradient.
    direction.set(gradient);
    const alphas: number[] = [];
    for (let h = history.length - 1; h >= 0; h--) {
      const { s, y, rho } = history[h] as (typeof history)[number];
      const alpha = rho * dot(s, direction);
      alphas[h] = alpha;
      for (let i = 0; i < n; i++) direction[i] = (direction[i] ?? 0) - alpha * (y[i] ?? 0);
    }
    const last = history.at(-1);
    const scale = last
      ? dot(last.s, last.y) / dot(last.y, last.y)
      : 1 / Math.max(1, Math.sqrt(dot(gradient, gradient)));
    for (let i = 0; i < n; i++) direction[i] = (direction[i] ?? 0) * scale;
    for (let h = 0; h < history.length; h++) {
      const { s, y, rho } = history[h] as (typeof history)[number];
      const beta = rho * dot(y, direction);
      const alpha = alphas[h] ?? 0;
      for (let i = 0; i < n; i++) direction[i] = (direction[i] ?? 0) + (alpha - beta) * (s[i] ?? 0);
    }
    for (let i = 0; i < n; i++) direction[i] = -(direction[i] ?? 0);
    let slope = dot(gradient, direction);
    if (slope >= 0) {
      // Not a descent direction (numerical trouble): restart from steepest descent.
      history.length = 0;
      for (let i = 0; i < n; i++) direction[i] = -(gradient[i] ?? 0);
      slope = dot(gradient, direction);
    }
    let step = 1;
    let nextValue = Infinity;
    for (let tries = 0; tries < 40; tries++) {
      for (let i = 0; i < n; i++) nextX[i] = (x[i] ?? 0) + step * (direction[i] ?? 0);
      nextValue = objective(nextX, nextGradient);
      if (nextValue <= value + 1e-4 * step * slope) break;
      step /= 2;
    }
    if (!(nextValue < value)) break;
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = (nextX[i] ?? 0) - (x[i] ?? 0);
      y[i] = (nextGradient[i] ?? 0) - (gradient[i] ?? 0);
    }
    const sy = dot(s, y);
    if (sy > 1e-12) {
      history.push({ s, y, rho: 1 / sy });
      if (history.length > options.memory) history.shift();
    }
    const decrease = value - nextValue;
    x.set(nextX);
    gradient.set(nextGradient);
    value = nextValue;
    if (decrease < options.relativeTolerance * Math.max(1, Math.abs(value))) break;
  }
  return { x, value, iterations };
}
