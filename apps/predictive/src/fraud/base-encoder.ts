import type { FeatureSpec } from '@gantry/contracts';

/**
 * Lays a row of feature values out as the model's input tensor row: a number column as it is, a
 * category as one-hot columns over the categories seen in training (an unseen one is all zeros).
 */
export interface BaseEncoder {
  /** Columns of the input tensor. */
  readonly width: number;
  /** The feature each column belongs to. */
  readonly owners: readonly string[];
  /** Writes one row; `values[i]` is a number for a number feature, a string for a category. */
  encode(values: readonly (number | string)[], out: Float32Array | Float64Array, offset: number): void;
}

export function createBaseEncoder(features: readonly FeatureSpec[]): BaseEncoder {
  const owners: string[] = [];
  const layout = features.map((feature) => {
    const start = owners.length;
    if (feature.type === 'number') {
      owners.push(feature.name);
      return { start, index: null };
    }
    feature.categories.forEach(() => owners.push(feature.name));
    return { start, index: new Map(feature.categories.map((category, i) => [category, i])) };
  });
  return {
    width: owners.length,
    owners,
    encode(values, out, offset) {
      out.fill(0, offset, offset + owners.length);
      layout.forEach(({ start, index }, i) => {
        const value = values[i];
        if (index === null) out[offset + start] = value as number;
        else {
          const at = index.get(value as string);
          if (at !== undefined) out[offset + start + at] = 1;
        }
      });
    },
  };
}
