import { GantryError } from '@gantry/contracts';
import type { FeatureSpec } from '../registry/model-manifest.js';
import type { BaseEncoder } from './base-encoder.js';

type Transaction = Readonly<Record<string, unknown>>;

interface FeatureIssue {
  path: (string | number)[];
  message: string;
  code: 'missing' | 'unknown_feature' | 'invalid_type';
}

const maxIssues = 100;
const show = (value: unknown) => (typeof value === 'number' ? String(value) : JSON.stringify(value));

/**
 * Checks each transaction against the model's feature schema (known only once the registry version is
 * resolved, so this runs in the worker) and lays the batch out as the model's input tensor. Every
 * missing, extra or mistyped feature is named in one VALIDATION_FAILED error, like a gateway 422.
 */
export function encodeTransactions(
  features: readonly FeatureSpec[],
  encoder: BaseEncoder,
  transactions: readonly Transaction[],
): Float32Array {
  const issues: FeatureIssue[] = [];
  const known = new Set(features.map((feature) => feature.name));
  const out = new Float32Array(transactions.length * encoder.width);
  const values: (number | string)[] = new Array<number | string>(features.length);
  transactions.forEach((transaction, t) => {
    const before = issues.length;
    features.forEach((feature, f) => {
      const value = transaction[feature.name];
      const path = ['transactions', t, feature.name];
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
      } else {
        values[f] = value as number | string;
      }
    });
    for (const key of Object.keys(transaction)) {
      if (!known.has(key)) {
        issues.push({
          path: ['transactions', t, key],
          code: 'unknown_feature',
          message: `unknown feature ${key}; the model reads ${[...known].join(', ')}`,
        });
      }
    }
    if (issues.length === before) encoder.encode(values, out, t * encoder.width);
  });
  if (issues.length > 0) {
    throw new GantryError(
      'VALIDATION_FAILED',
      `${issues.length} feature problem(s) in the transactions, e.g. ${issues[0]?.message}`,
      { details: { issues: issues.slice(0, maxIssues) } },
    );
  }
  return out;
}

/** The features that moved a row's log-odds most; an interaction's share is split between its two features. */
export function topFeatures(
  contributions: Float32Array,
  row: number,
  terms: readonly (readonly string[])[],
  count: number,
): { feature: string; contribution: number }[] {
  const byFeature = new Map<string, number>();
  const offset = row * terms.length;
  terms.forEach((owners, k) => {
    const share = (contributions[offset + k] ?? 0) / owners.length;
    for (const owner of owners) byFeature.set(owner, (byFeature.get(owner) ?? 0) + share);
  });
  return [...byFeature.entries()]
    .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]))
    .slice(0, count)
    .map(([feature, contribution]) => ({
      feature,
      contribution: Math.round(contribution * 10_000) / 10_000,
    }));
}
