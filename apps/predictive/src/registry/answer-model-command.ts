import {
  GantryError,
  type ModelFeatures,
  type ModelList,
  type ModelPromotion,
  ModelRegistryCommand,
} from '@gantry/contracts';
import type { HandlerContext } from '@gantry/queue-runtime';
import type { PromotionState } from './model-manifest.js';
import type { ModelRegistry } from './model-registry.js';

const promotionOf = (name: string, state: PromotionState): ModelPromotion => ({ name, ...state });

/**
 * Answers the gateway's model registry commands (ADR 0011) on the registry this worker mounts. Runs in
 * the worker's main process; engines read the promotion on every job, so a change reaches them at their
 * next one. Each change is logged (who, what, when) besides the registry's own audit log.
 */
export function answerModelCommand(
  registry: ModelRegistry,
  logger: HandlerContext['logger'],
): (payload: unknown) => Promise<ModelList | ModelPromotion | ModelFeatures> {
  return async (payload) => {
    const parsed = ModelRegistryCommand.safeParse(payload);
    if (!parsed.success) {
      throw new GantryError('VALIDATION_FAILED', 'not a model registry command', {
        details: { issues: parsed.error.issues },
      });
    }
    const command = parsed.data;
    switch (command.action) {
      case 'features': {
        // The gateway checks scoring inputs against this before it accepts them; an unknown version
        // answers MODEL_VERSION_NOT_FOUND, as the job would fail.
        const { manifest } = await registry.resolve(command.name, command.version);
        return { name: manifest.name, version: manifest.version, features: manifest.input.features };
      }
      case 'list': {
        const data = await Promise.all(
          (await registry.names()).map(async (name) => {
            const [{ versions }, promotion] = await Promise.all([
              registry.list(name),
              registry.promotion(name),
            ]);
            return {
              name,
              promotion: promotion && promotionOf(name, promotion),
              versions: versions.map(({ version, kind, created_at, sha256, metrics }) => ({
                version,
                kind,
                created_at,
                sha256,
                metrics,
                promoted: version === promotion?.version,
              })),
            };
          }),
        );
        return { data };
      }
      case 'promote':
      case 'rollback': {
        if (!(await registry.names()).includes(command.name)) {
          throw new GantryError('MODEL_NOT_FOUND', `the registry has no model ${command.name}`, {
            details: { name: command.name },
          });
        }
        const from = (await registry.promotion(command.name))?.version ?? null;
        const state =
          command.action === 'promote'
            ? await registry.promote(command.name, command.version, command.actor)
            : await registry.rollback(command.name, command.actor);
        logger.info(
          { model: command.name, action: command.action, from, to: state.version, by: command.actor },
          `model ${command.name} ${command.action}: ${from ?? 'none'} → ${state.version}`,
        );
        return promotionOf(command.name, state);
      }
    }
  };
}
