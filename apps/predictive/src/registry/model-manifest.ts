import { FeatureSpec, ModelActor } from '@gantry/contracts';
import { z } from 'zod';

const ModelKind = z.enum(['fraud-logistic', 'recommender-item-item']);

/**
 * `manifest.json` beside each registry version's file: what the model reads, what its outputs mean,
 * the bytes it must have and how it scored when it was trained.
 */
export const ModelManifest = z.object({
  name: z.string(),
  version: z.string(),
  kind: ModelKind,
  /** The model file, relative to the version's directory. */
  file: z.string(),
  sha256: z.string().length(64),
  created_at: z.iso.datetime(),
  input: z.object({ features: z.array(FeatureSpec) }),
  /** What each output means: tensor names, the default decision threshold, the feature(s) behind each term. */
  output: z.object({
    tensors: z.record(z.string(), z.string()),
    threshold: z.number().optional(),
    terms: z.array(z.array(z.string())).optional(),
  }),
  metrics: z.record(z.string(), z.unknown()),
});
export type ModelManifest = z.infer<typeof ModelManifest>;

/** A manifest without what the registry assigns: the version, the file name, the checksum and the time. */
export type ManifestDraft = Omit<ModelManifest, 'version' | 'sha256' | 'created_at' | 'file'>;

/**
 * `promoted.json` of a model name: the version jobs use by default, the ones promoted before it, and
 * who promoted it (an API key; null for the CLI and the first training, and in files written before).
 */
export const PromotionState = z.object({
  version: z.string(),
  previous: z.array(z.string()),
  changed_at: z.iso.datetime(),
  changed_by: ModelActor.nullable().default(null),
});
export type PromotionState = z.infer<typeof PromotionState>;
