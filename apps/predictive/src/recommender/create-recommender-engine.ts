import {
  GantryError,
  type ModelInfo,
  type PredictiveRecommendInput,
  type PredictiveRecommendOutput,
  type PredictiveTrainRecommenderInput,
  type PredictiveTrainRecommenderOutput,
} from '@gantry/contracts';
import { applyMalformedPolicy, readDataset } from '../dataset/read-dataset.js';
import type { ModelRegistry } from '../registry/model-registry.js';
import { readVerifiedModel } from '../registry/model-registry.js';
import { buildInteractionLog } from './interaction-log.js';
import { type ItemItemModel, mostPopular, scoreForUser, trainItemItem } from './item-item-model.js';
import { recallAtTen } from './recall-at-ten.js';

/** The registry name of recommender models. */
const recommenderModelName = 'recommender';

export interface RecommendResult extends PredictiveRecommendOutput {
  info: ModelInfo;
}

export interface RecommenderEngine {
  train(bytes: Uint8Array, input: PredictiveTrainRecommenderInput): Promise<PredictiveTrainRecommenderOutput>;
  recommend(input: PredictiveRecommendInput): Promise<RecommendResult>;
}

interface LoadedRecommender {
  model: ItemItemModel;
  itemIndex: Map<string, number>;
}

/**
 * Trains item-item recommenders into the registry and answers from them. Like the fraud engine it
 * resolves the promoted version on every job and keeps each loaded version (checksum verified).
 */
export function createRecommenderEngine(options: { registry: ModelRegistry }): RecommenderEngine {
  const loaded = new Map<string, Promise<LoadedRecommender>>();

  return {
    async train(bytes, input) {
      const log = buildInteractionLog(readDataset(bytes, input.format), input);
      const skipped = applyMalformedPolicy(log.malformed, input.on_malformed);
      if (log.histories.size === 0) {
        throw new GantryError('DATASET_INVALID', 'no usable interactions in the file', {
          details: { skipped },
        });
      }
      const validation = recallAtTen(log.histories);
      const model = trainItemItem(log.histories);
      const metrics = {
        users: log.histories.size,
        items: model.items.length,
        interactions: log.interactions,
        recall_at_10: validation?.model ?? null,
        popularity_recall_at_10: validation?.popularity ?? null,
        skipped_rows: skipped,
      };
      const manifest = await options.registry.publish(
        {
          name: recommenderModelName,
          kind: 'recommender-item-item',
          input: { features: [] },
          output: { tensors: {} },
          metrics,
        },
        new TextEncoder().encode(JSON.stringify(model)),
        'json',
      );
      return { model: { name: manifest.name, version: manifest.version }, metrics };
    },

    async recommend(input) {
      const resolved = await options.registry.resolve(recommenderModelName, input.model_version);
      const { manifest } = resolved;
      let loading = loaded.get(manifest.version);
      if (!loading) {
        loading = readVerifiedModel(resolved).then((bytes) => {
          const model = JSON.parse(bytes.toString('utf8')) as ItemItemModel;
          return { model, itemIndex: new Map(model.items.map((item, i) => [item, i])) };
        });
        loading.catch(() => loaded.delete(manifest.version));
        loaded.set(manifest.version, loading);
      }
      const { model, itemIndex } = await loading;
      const info = { name: manifest.name, version: manifest.version, sha256: manifest.sha256 };
      const named = (ranked: { item: number; score: number }[]) =>
        ranked.map(({ item, score }) => ({ item_id: model.items[item] ?? '', score }));

      if (input.item_id !== undefined) {
        const at = itemIndex.get(input.item_id);
        if (at === undefined) {
          throw new GantryError(
            'ITEM_NOT_FOUND',
            `model ${manifest.name}@${manifest.version} has never seen item ${input.item_id}`,
            {
              details: { item_id: input.item_id },
            },
          );
        }
        const similar = (model.neighbors[at] ?? [])
          .slice(0, input.k)
          .map(([item, score]) => ({ item, score }));
        return { items: named(similar), fallback: false, info };
      }
      const seen = model.users[input.user_id ?? ''];
      if (!seen) return { items: named(mostPopular(model, input.k)), fallback: true, info };
      return { items: named(scoreForUser(model, seen, input.k, input.include_seen)), fallback: false, info };
    },
  };
}
