import {
  GantryError,
  ModelList,
  ModelName,
  ModelPromotion,
  type ModelRegistryCommand,
  ModelVersion,
} from '@gantry/contracts';
import type { Logger } from '@gantry/observability';
import { type Request, type Response, type IRouter } from 'express';
import { z } from 'zod';
import { requireScope } from '../http/authenticate.js';
import { jsonBody } from '../http/json-body.js';
import type { AskModelRegistry } from '../models/ask-model-registry.js';
import type { ModelFeaturesCache } from '../models/model-features-cache.js';

const PromoteRequest = z.strictObject({ version: ModelVersion });

const modelName = (req: Request) => {
  const name = ModelName.safeParse(req.params['name']);
  if (!name.success) {
    throw new GantryError('MODEL_NOT_FOUND', 'no model has this name', {
      details: { name: req.params['name'] },
    });
  }
  return name.data;
};

/**
 * The predictive model registry for platform keys: list, promote, roll back, through a live predictive
 * worker (ADR 0011); the gateway itself stays free of model code.
 */
export function modelRoutes(
  router: IRouter,
  deps: { ask: AskModelRegistry; features: ModelFeaturesCache; logger: Logger; jsonBytes: number },
): void {
  const { ask, logger } = deps;
  const json = jsonBody(deps.jsonBytes);

  router.get('/v1/models', requireScope('platform'), async (_req: Request, res: Response) => {
    res.json(ModelList.parse(await ask({ action: 'list' })));
  });

  const change = async (res: Response, command: ModelRegistryCommand) => {
    const promotion = ModelPromotion.parse(await ask(command));
    // This replica's submissions check features against the new version at once; others within a TTL.
    deps.features.forgetPromotion(promotion.name);
    logger.info(
      { model: promotion.name, action: command.action, version: promotion.version, by: promotion.changed_by },
      `model ${promotion.name} ${command.action} to version ${promotion.version}`,
    );
    res.json(promotion);
  };
  const actor = (req: Request) => ({ key_id: req.auth?.id ?? '', tenant: req.auth?.tenant ?? '' });

  router.post(
    '/v1/models/:name/promote',
    requireScope('platform'),
    json,
    async (req: Request, res: Response) => {
      const name = modelName(req);
      const body = PromoteRequest.safeParse(req.body ?? {});
      if (!body.success) {
        throw new GantryError('VALIDATION_FAILED', 'the body must be { "version": "<number>" }', {
          details: {
            issues: body.error.issues.map((i) => ({ path: i.path, message: i.message, code: i.code })),
          },
        });
      }
      await change(res, { action: 'promote', name, version: body.data.version, actor: actor(req) });
    },
  );

  router.post('/v1/models/:name/rollback', requireScope('platform'), async (req: Request, res: Response) => {
    await change(res, { action: 'rollback', name: modelName(req), actor: actor(req) });
  });
}
