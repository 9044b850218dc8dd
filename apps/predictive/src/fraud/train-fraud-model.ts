import { fraudRecallTarget, type FraudMetrics, GantryError } from '@gantry/contracts';
import type { ManifestDraft } from '../registry/model-manifest.js';
import { createBaseEncoder } from './base-encoder.js';
import type { FraudTable } from './fraud-table.js';
import { fitLogistic } from './fit-logistic.js';
import { rankingMetrics } from './fraud-metrics.js';
import { buildLogisticGraph, logisticTensors } from './logistic-onnx-graph.js';
import { planFeatures, planPairs } from './plan-terms.js';

/** The latest fifth of the rows (in time order) is held out for validation. */
const validationShare = 0.2;
const minRowsPerSplit = 10;

export interface TrainedFraudModel {
  draft: ManifestDraft;
  onnx: Uint8Array;
  metrics: FraudMetrics;
}

/** Scores a `rows × width` input matrix with the exported graph (onnxruntime), for validation. */
export type GraphScorer = (onnx: Uint8Array, features: Float32Array, rows: number) => Promise<Float32Array>;

/**
 * Fits a logistic regression with pairwise interactions on the earlier 80 % of the rows, exports it as
 * an ONNX graph and validates that graph (as onnxruntime serves it) on the later 20 %.
 */
export async function trainFraudModel(
  table: FraudTable,
  options: {
    name: string;
    scoreGraph: GraphScorer;
    skipped: { line: number; reason: string }[];
    signal?: AbortSignal;
  },
): Promise<TrainedFraudModel> {
  const positives = table.labels.reduce((sum, label) => sum + label, 0);
  if (positives === 0 || positives === table.labels.length) {
    throw new GantryError(
      'DATASET_ONE_CLASS',
      `every usable row has label ${positives === 0 ? 0 : 1}; a fraud model needs both classes`,
      { details: { rows: table.labels.length, positives } },
    );
  }
  const trainRows = Math.floor(table.rows.length * (1 - validationShare));
  const train = { rows: table.rows.slice(0, trainRows), labels: table.labels.subarray(0, trainRows) };
  const valid = { rows: table.rows.slice(trainRows), labels: table.labels.subarray(trainRows) };
  for (const [split, part] of [
    ['training', train],
    ['validation', valid],
  ] as const) {
    const count = part.labels.reduce((sum, label) => sum + label, 0);
    if (part.labels.length < minRowsPerSplit || count === 0 || count === part.labels.length) {
      throw new GantryError(
        count === 0 || count === part.labels.length ? 'DATASET_ONE_CLASS' : 'DATASET_INVALID',
        `the ${split} split (${split === 'training' ? 'earlier 80 %' : 'latest 20 %'} in time) has ` +
          `${part.labels.length} rows and ${count} positive(s); it needs both classes and ${minRowsPerSplit}+ rows`,
        { details: { split, rows: part.labels.length, positives: count } },
      );
    }
  }

  const features = planFeatures(table.columns, train.rows);
  const encoder = createBaseEncoder(features);
  const width = encoder.width;
  const base = new Float64Array(trainRows * width);
  train.rows.forEach((row, r) => encoder.encode(row, base, r * width));
  const { mean, std } = columnMoments(base, width);
  const pairs = planPairs(encoder, features);
  const termCount = width + pairs.length;
  const terms = new Float64Array(trainRows * termCount);
  for (let r = 0; r < trainRows; r += 1) {
    const z = (c: number) => ((base[r * width + c] ?? 0) - (mean[c] ?? 0)) / (std[c] ?? 1);
    for (let c = 0; c < width; c += 1) terms[r * termCount + c] = z(c);
    pairs.forEach(([a, b], k) => (terms[r * termCount + width + k] = z(a) * z(b)));
  }
  const fit = fitLogistic(terms, train.labels, termCount, { l2: 1, signal: options.signal });
  const onnx = buildLogisticGraph({ width, mean, std, pairs, weights: fit.weights, bias: fit.bias });

  const validInput = new Float32Array(valid.rows.length * width);
  valid.rows.forEach((row, r) => encoder.encode(row, validInput, r * width));
  const scores = await options.scoreGraph(onnx, validInput, valid.rows.length);
  const ranking = rankingMetrics(scores, valid.labels, fraudRecallTarget);
  const metrics: FraudMetrics = {
    ...ranking,
    train_rows: trainRows,
    validation_rows: valid.rows.length,
    positive_rate: positives / table.labels.length,
    skipped_rows: options.skipped,
  };
  const owner = (column: number) => encoder.owners[column] ?? '';
  return {
    onnx,
    metrics,
    draft: {
      name: options.name,
      kind: 'fraud-logistic',
      input: { features },
      output: {
        tensors: { ...logisticTensors },
        threshold: ranking.precision_at_recall.threshold,
        terms: [...encoder.owners.map((name) => [name]), ...pairs.map(([a, b]) => [owner(a), owner(b)])],
      },
      metrics: { ...metrics, newton_iterations: fit.iterations },
    },
  };
}

function columnMoments(x: Float64Array, width: number): { mean: Float64Array; std: Float64Array } {
  const rows = x.length / width;
  const mean = new Float64Array(width);
  const std = new Float64Array(width);
  for (let r = 0; r < rows; r += 1)
    for (let c = 0; c < width; c += 1) mean[c] = (mean[c] ?? 0) + (x[r * width + c] ?? 0) / rows;
  for (let r = 0; r < rows; r += 1)
    for (let c = 0; c < width; c += 1)
      std[c] = (std[c] ?? 0) + ((x[r * width + c] ?? 0) - (mean[c] ?? 0)) ** 2 / rows;
  // A constant column carries nothing; dividing by 1 keeps it at zero instead of NaN.
  for (let c = 0; c < width; c += 1) std[c] = Math.sqrt(std[c] ?? 0) || 1;
  return { mean, std };
}
