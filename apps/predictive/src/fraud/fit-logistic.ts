import { CholeskyDecomposition, Matrix } from 'ml-matrix';

export interface LogisticFit {
  weights: Float64Array;
  bias: number;
  iterations: number;
}

/**
 * L2-regularised logistic regression by Newton's method (IRLS) on a row-major `rows × width` matrix
 * of standardized terms. Newton converges in a handful of steps where gradient descent needs
 * thousands, and the terms are few (≤ ~130), so the `width²` Hessian is cheap to solve.
 */
export function fitLogistic(
  x: Float64Array,
  labels: Uint8Array,
  width: number,
  options: { l2: number; maxIterations?: number; signal?: AbortSignal },
): LogisticFit {
  const rows = labels.length;
  const size = width + 1; // the last coefficient is the bias, left unpenalised
  const beta = new Float64Array(size);
  const rate = labels.reduce((sum, label) => sum + label, 0) / rows;
  beta[width] = Math.log(rate / (1 - rate));
  const maxIterations = options.maxIterations ?? 30;
  for (let iteration = 1; iteration <= maxIterations; iteration += 1) {
    options.signal?.throwIfAborted();
    const gradient = new Float64Array(size);
    const hessian = new Float64Array(size * size);
    for (let r = 0; r < rows; r += 1) {
      const offset = r * width;
      let eta = beta[width] ?? 0;
      for (let j = 0; j < width; j += 1) eta += (beta[j] ?? 0) * (x[offset + j] ?? 0);
      const p = 1 / (1 + Math.exp(-eta));
      const residual = p - (labels[r] ?? 0);
      const curvature = Math.max(p * (1 - p), 1e-10);
      for (let i = 0; i < size; i += 1) {
        const xi = i === width ? 1 : (x[offset + i] ?? 0);
        gradient[i] = (gradient[i] ?? 0) + residual * xi;
        const a = curvature * xi;
        if (a === 0) continue;
        const rowStart = i * size;
        for (let j = i; j < size; j += 1) {
          hessian[rowStart + j] = (hessian[rowStart + j] ?? 0) + a * (j === width ? 1 : (x[offset + j] ?? 0));
        }
      }
    }
    const h = new Matrix(size, size);
    for (let i = 0; i < size; i += 1) {
      const penalty = i === width ? 1e-8 : options.l2;
      gradient[i] = (gradient[i] ?? 0) + (i === width ? 0 : options.l2 * (beta[i] ?? 0));
      for (let j = i; j < size; j += 1) {
        const value = (hessian[i * size + j] ?? 0) + (i === j ? penalty : 0);
        h.set(i, j, value);
        h.set(j, i, value);
      }
    }
    const step = new CholeskyDecomposition(h).solve(Matrix.columnVector(Array.from(gradient)));
    let largest = 0;
    for (let i = 0; i < size; i += 1) {
      const delta = step.get(i, 0);
      beta[i] = (beta[i] ?? 0) - delta;
      largest = Math.max(largest, Math.abs(delta));
    }
    if (largest < 1e-6)
      return { weights: beta.slice(0, width), bias: beta[width] ?? 0, iterations: iteration };
  }
  return { weights: beta.slice(0, width), bias: beta[width] ?? 0, iterations: maxIterations };
}
