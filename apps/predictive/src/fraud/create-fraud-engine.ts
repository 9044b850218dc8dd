import {
  fraudModelName,
  fraudScoreLimits,
  GantryError,
  type ModelInfo,
  type PredictiveFraudScoreInput,
  type PredictiveFraudScoreOutput,
  type PredictiveTrainFraudInput,
  type PredictiveTrainFraudOutput,
} from '@gantry/contracts';
import type * as OrtModule from 'onnxruntime-node';
import type { InferenceSession } from 'onnxruntime-node';
import { applyMalformedPolicy, readDataset } from '../dataset/read-dataset.js';
import type { ModelManifest } from '../registry/model-manifest.js';
import { type ModelRegistry, readVerifiedModel } from '../registry/model-registry.js';
import { type BaseEncoder, createBaseEncoder } from './base-encoder.js';
import { encodeTransactions, topFeatures } from './encode-transactions.js';
import { buildFraudTable } from './fraud-table.js';
import { logisticTensors } from './logistic-onnx-graph.js';
import { trainFraudModel } from './train-fraud-model.js';

type Ort = typeof OrtModule;

export interface FraudScoreResult extends PredictiveFraudScoreOutput {
  /** The registry version that scored, as the job's model stamp. */
  info: ModelInfo;
}

export interface FraudEngine {
  train(
    bytes: Uint8Array,
    input: PredictiveTrainFraudInput,
    options?: { signal?: AbortSignal },
  ): Promise<PredictiveTrainFraudOutput>;
  score(input: PredictiveFraudScoreInput): Promise<FraudScoreResult>;
  close(): Promise<void>;
}

interface LoadedModel {
  manifest: ModelManifest;
  encoder: BaseEncoder;
  session: InferenceSession;
}

/**
 * Trains fraud models into the registry and scores transactions with onnxruntime. The version a job
 * does not pin is looked up in the registry on every job, so a promotion or rollback takes effect at
 * the next job; each version's session is loaded once (after its checksum is verified) and kept.
 *
 * onnxruntime-node is imported here, when the engine is built: its launcher sets ORT_DISABLE_TELEMETRY.
 */
export async function createFraudEngine(options: {
  registry: ModelRegistry;
  intraOpNumThreads?: number;
}): Promise<FraudEngine> {
  const ort: Ort = await import('onnxruntime-node');
  const sessionOptions: InferenceSession.SessionOptions = {
    graphOptimizationLevel: 'all',
    ...(options.intraOpNumThreads === undefined ? {} : { intraOpNumThreads: options.intraOpNumThreads }),
  };
  const loaded = new Map<string, Promise<LoadedModel>>();

  const load = (manifest: ModelManifest, file: string): Promise<LoadedModel> => {
    const cached = loaded.get(manifest.version);
    if (cached) return cached;
    const loading = (async () => {
      const bytes = await readVerifiedModel({ manifest, file });
      const session = await ort.InferenceSession.create(bytes, sessionOptions).catch((error: unknown) => {
        throw new GantryError(
          'MODEL_UNAVAILABLE',
          `onnxruntime could not load ${manifest.name}@${manifest.version}`,
          {
            details: { name: manifest.name, version: manifest.version },
            cause: error,
          },
        );
      });
      return { manifest, encoder: createBaseEncoder(manifest.input.features), session };
    })();
    // A failed load is not cached: the file may be fixed, or the next job may pin another version.
    loading.catch(() => loaded.delete(manifest.version));
    loaded.set(manifest.version, loading);
    return loading;
  };

  const run = async (session: InferenceSession, features: Float32Array, rows: number, width: number) => {
    const outputs = await session.run({
      [logisticTensors.input]: new ort.Tensor('float32', features, [rows, width]),
    });
    return {
      probability: outputs[logisticTensors.probability]?.data as Float32Array,
      contributions: outputs[logisticTensors.contributions]?.data as Float32Array,
    };
  };

  return {
    async train(bytes, input, { signal } = {}) {
      const dataset = readDataset(bytes, input.format);
      const table = buildFraudTable(dataset, input);
      const skipped = applyMalformedPolicy(table.malformed, input.on_malformed);
      const trained = await trainFraudModel(table, {
        name: fraudModelName,
        skipped,
        ...(signal ? { signal } : {}),
        scoreGraph: async (onnx, features, rows) => {
          const session = await ort.InferenceSession.create(onnx, sessionOptions);
          try {
            return (await run(session, features, rows, features.length / rows)).probability;
          } finally {
            await session.release();
          }
        },
      });
      const manifest = await options.registry.publish(trained.draft, trained.onnx, 'onnx');
      return {
        model: { name: manifest.name, version: manifest.version },
        metrics: trained.metrics,
      };
    },

    async score(input) {
      const resolved = await options.registry.resolve(fraudModelName, input.model_version);
      const { manifest, encoder, session } = await load(resolved.manifest, resolved.file);
      const rows = input.transactions.length;
      const features = encodeTransactions(manifest.input.features, encoder, input.transactions);
      const { probability, contributions } = await run(session, features, rows, encoder.width);
      const threshold = input.threshold ?? manifest.output.threshold ?? 0.5;
      const terms = manifest.output.terms ?? [];
      return {
        results: Array.from({ length: rows }, (_, r) => {
          const p = probability[r] ?? Number.NaN;
          return {
            probability: p,
            decision: p >= threshold,
            top_features: topFeatures(contributions, r, terms, fraudScoreLimits.topFeatures),
          };
        }),
        model: { name: manifest.name, version: manifest.version },
        info: { name: manifest.name, version: manifest.version, sha256: manifest.sha256 },
      };
    },

    async close() {
      const sessions = await Promise.allSettled(loaded.values());
      await Promise.all(
        sessions.map((s) => (s.status === 'fulfilled' ? s.value.session.release() : undefined)),
      );
    },
  };
}
