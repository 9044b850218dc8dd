import { type FeatureSpec, featureIssues, GantryError } from '@gantry/contracts';
import type { BaseEncoder } from './base-encoder.js';

type Transaction = Readonly<Record<string, unknown>>;

/**
 * Checks each transaction against the model's feature schema and lays the batch out as the model's
 * input tensor. The gateway runs the same check at submission when a predictive worker told it the
 * schema; this one stays for jobs it could not check (no worker answered, a promotion in between, an
 * older gateway). Every missing, extra or mistyped feature is named in one VALIDATION_FAILED error.
 */
export function encodeTransactions(
  features: readonly FeatureSpec[],
  encoder: BaseEncoder,
  transactions: readonly Transaction[],
): Float32Array {
  const issues = featureIssues(features, transactions);
  if (issues.length > 0) {
    throw new GantryError(
      'VALIDATION_FAILED',
      `${issues.length} feature problem(s) in the transactions, e.g. ${issues[0]?.message}`,
      { details: { issues } },
    );
  }
  const out = new Float32Array(transactions.length * encoder.width);
  transactions.forEach((transaction, t) => {
    // Checked above: every feature is present with its type.
    const values = features.map((feature) => transaction[feature.name] as number | string);
    encoder.encode(values, out, t * encoder.width);
  });
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
