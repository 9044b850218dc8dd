import { describe, expect, it } from 'vitest';
import { minimiseLbfgs } from './minimise-lbfgs.js';

const options = { memory: 5, maxIterations: 200, gradientTolerance: 1e-9, relativeTolerance: 1e-15 };

describe('minimiseLbfgs', () => {
  it('finds the minimum of an ill-conditioned quadratic', () => {
    const scales = [1, 10, 100, 1000];
    const target = [3, -2, 0.5, 7];
    const { x, value } = minimiseLbfgs(
      (point, gradient) => {
        let sum = 0;
        point.forEach((p, i) => {
          const d = p - (target[i] ?? 0);
          sum += 0.5 * (scales[i] ?? 0) * d * d;
          gradient[i] = (scales[i] ?? 0) * d;
        });
        return sum;
      },
      new Float64Array(4),
      options,
    );
    expect(value).toBeLessThan(1e-12);
    x.forEach((p, i) => expect(p).toBeCloseTo(target[i] ?? 0, 6));
  });

  it('minimises the Rosenbrock function', () => {
    const { x } = minimiseLbfgs(
      ([a = 0, b = 0], gradient) => {
        gradient[0] = -2 * (1 - a) - 400 * a * (b - a * a);
        gradient[1] = 200 * (b - a * a);
        return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
      },
      Float64Array.from([-1.2, 1]),
      options,
    );
    expect(x[0]).toBeCloseTo(1, 4);
    expect(x[1]).toBeCloseTo(1, 4);
  });
});
