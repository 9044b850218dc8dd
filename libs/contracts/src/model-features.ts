import { z } from 'zod';

/** A column a registry model reads: a number, or a category one-hot encoded over the values seen in training. */
export const FeatureSpec = z.discriminatedUnion('type', [
  z.object({ name: z.string(), type: z.literal('number') }),
  z.object({ name: z.string(), type: z.literal('category'), categories: z.array(z.string()) }),
]);
export type FeatureSpec = z.infer<typeof FeatureSpec>;

/** The input feature schema of one registry version, as a predictive worker answers it (ADR 0011). */
export const ModelFeatures = z.object({
  name: z.string(),
  version: z.string(),
  features: z.array(FeatureSpec),
});
export type ModelFeatures = z.infer<typeof ModelFeatures>;

/** A row's field that does not fit the model: the wire shape of a `VALIDATION_FAILED` issue. */
export interface FeatureIssue {
  path: (string | number)[];
  message: string;
  code: 'missing' | 'unknown_feature' | 'invalid_type';
}

/** Issues listed per check at most: a hostile batch of 10 000 rows must not build a huge error. */
export const maxFeatureIssues = 100;

const show = (value: unknown) => (typeof value === 'number' ? String(value) : JSON.stringify(value));

/**
 * Every missing, extra or mistyped feature of each row (`[field, row, feature]` paths), at most
 * `maxFeatureIssues`. One rule for both checks: the gateway's at submission, when a predictive worker
 * tells it the schema, and the worker's before it scores (old gateways, promotions in between).
 */
export function featureIssues(
  features: readonly FeatureSpec[],
  rows: readonly Readonly<Record<string, unknown>>[],
  field = 'transactions',
): FeatureIssue[] {
  const issues: FeatureIssue[] = [];
  const known = new Set(features.map((feature) => feature.name));
  for (const [r, row] of rows.entries()) {
    for (const feature of features) {
      const value = row[feature.name];
      const path = [field, r, feature.name];
      if (value === undefined || value === null) {
        issues.push({
          path,
          code: 'missing',
          message: `missing feature ${feature.name} (a ${feature.type})`,
        });
      } else if (feature.type === 'number' && (typeof value !== 'number' || !Number.isFinite(value))) {
        issues.push({
          path,
          code: 'invalid_type',
          message: `${feature.name} must be a finite number, got ${show(value)}`,
        });
      } else if (feature.type === 'category' && typeof value !== 'string') {
        issues.push({
          path,
          code: 'invalid_type',
          message: `${feature.name} must be a string category, got ${show(value)}`,
        });
      }
    }
    for (const key of Object.keys(row)) {
      if (!known.has(key)) {
        issues.push({
          path: [field, r, key],
          code: 'unknown_feature',
          message: `unknown feature ${key}; the model reads ${[...known].join(', ')}`,
        });
      }
    }
    if (issues.length >= maxFeatureIssues) return issues.slice(0, maxFeatureIssues);
  }
  return issues;
}
