import { z } from 'zod';
import { ModelVersion } from './jobs/predictive-model.js';

/** A registry model name, as the trainers write it (`fraud`, `recommender`). */
export const ModelName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'a model name is lower-case letters, digits, `-` and `_`');

/** Who asked for a promotion or a rollback: the API key, as the gateway authenticated it. */
export const ModelActor = z.object({ key_id: z.string(), tenant: z.string() });
export type ModelActor = z.infer<typeof ModelActor>;

/**
 * What the gateway asks a predictive worker to do on the model registry it mounts (ADR 0011). Sent
 * over the control plane to one live worker, which answers with a `ModelList`, a `ModelPromotion` or a `ModelFeatures`.
 */
export const ModelRegistryCommand = z.discriminatedUnion('action', [
  z.object({ action: z.literal('list') }),
  z.object({ action: z.literal('promote'), name: ModelName, version: ModelVersion, actor: ModelActor }),
  z.object({ action: z.literal('rollback'), name: ModelName, actor: ModelActor }),
  /** The input feature schema of a version (the promoted one when none is given): answered with `ModelFeatures`. */
  z.object({ action: z.literal('features'), name: ModelName, version: ModelVersion.optional() }),
]);
export type ModelRegistryCommand = z.infer<typeof ModelRegistryCommand>;

/** The version jobs of a model use by default, and since when, and who chose it. */
export const ModelPromotion = z.object({
  name: z.string(),
  version: z.string(),
  /** Versions promoted before it, oldest first: a rollback returns to the last one. */
  previous: z.array(z.string()),
  changed_at: z.iso.datetime(),
  /** The API key that promoted it; null when the CLI or the first training did. */
  changed_by: ModelActor.nullable(),
});
export type ModelPromotion = z.infer<typeof ModelPromotion>;

/** One registry version of a model, as its manifest describes it. */
export const RegistryModelVersion = z.object({
  version: z.string(),
  kind: z.string(),
  created_at: z.iso.datetime(),
  sha256: z.string(),
  metrics: z.record(z.string(), z.unknown()),
  promoted: z.boolean(),
});
export type RegistryModelVersion = z.infer<typeof RegistryModelVersion>;

export const RegistryModel = z.object({
  name: z.string(),
  /** The promoted version; null while none is. Jobs that pin `model_version` use theirs instead. */
  promotion: ModelPromotion.nullable(),
  versions: z.array(RegistryModelVersion),
});
export type RegistryModel = z.infer<typeof RegistryModel>;

export const ModelList = z.object({ data: z.array(RegistryModel) });
export type ModelList = z.infer<typeof ModelList>;
