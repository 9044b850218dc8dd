import { GantryError } from '@gantry/contracts';
import type { ApiKeyInfo, ApiKeyRepository } from '@gantry/job-store';
import { type Request, type Response, type IRouter } from 'express';
import { z } from 'zod';
import { hasScope, requireScope, tenantOf } from '../http/authenticate.js';
import { jsonBody } from '../http/json-body.js';
import type { ApiKeyChanges } from '../keys/api-key-changes.js';

const Limit = z.number().int().min(0).nullable();
const KeyLimits = z.object({ rate_limit_per_s: Limit, rate_limit_burst: Limit }).strict();
const CreateKey = z
  .object({
    name: z.string().trim().min(1).max(100),
    scopes: z
      .array(z.enum(['jobs', 'admin', 'platform']))
      .min(1)
      .default(['jobs']),
    rate_limit_per_s: Limit.optional(),
    rate_limit_burst: Limit.optional(),
  })
  .strict();

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  throw new GantryError('VALIDATION_FAILED', 'bad request body', {
    details: { issues: parsed.error.issues.map((i) => ({ path: i.path, message: i.message, code: i.code })) },
  });
}

const platformOnly = (what: string) =>
  new GantryError('FORBIDDEN', `${what} needs an API key with the "platform" scope`);
const keyNotFound = (id: string) => new GantryError('API_KEY_NOT_FOUND', `no active API key ${id}`);

/**
 * A tenant's own keys (`admin` scope): create (the secret is in this answer only), list, revoke. Only a
 * `platform` key grants `platform`, sets a key's limits, or revokes another tenant's key. A revocation
 * or change is published, so every gateway stops honouring the old key at once.
 */
export function keyRoutes(
  router: IRouter,
  deps: { keys: ApiKeyRepository; changes: ApiKeyChanges; jsonBytes: number },
): void {
  const json = jsonBody(deps.jsonBytes);

  router.post('/v1/keys', requireScope('admin'), json, async (req: Request, res: Response) => {
    const body = parse(CreateKey, req.body);
    const platform = hasScope(req, 'platform');
    if (body.scopes.includes('platform') && !platform) throw platformOnly('granting "platform"');
    const limits = {
      rate_limit_per_s: body.rate_limit_per_s ?? null,
      rate_limit_burst: body.rate_limit_burst ?? null,
    };
    if ((limits.rate_limit_per_s !== null || limits.rate_limit_burst !== null) && !platform)
      throw platformOnly('setting a key’s limits');
    const tenant = tenantOf(req);
    const { id, key } = await deps.keys.create({ tenant, name: body.name, scopes: body.scopes, limits });
    res.status(201).json({ id, key, tenant, name: body.name, scopes: [...new Set(body.scopes)], ...limits });
  });

  router.get('/v1/keys', requireScope('admin'), async (req: Request, res: Response) => {
    res.json({ data: await deps.keys.list(tenantOf(req)) });
  });

  router.delete('/v1/keys/:id', requireScope('admin'), async (req: Request, res: Response) => {
    const id = String(req.params['id']);
    const revoked = await deps.keys.revoke(id, hasScope(req, 'platform') ? undefined : tenantOf(req));
    if (!revoked) throw keyNotFound(id);
    // With Redis away, the other gateways drop the key when their cache entry expires (15 s).
    await deps.changes.publish(id).catch(() => undefined);
    res.status(204).end();
  });

  router.patch('/v1/keys/:id', requireScope('platform'), json, async (req: Request, res: Response) => {
    const id = String(req.params['id']);
    const info: ApiKeyInfo | null = await deps.keys.setLimits(id, parse(KeyLimits, req.body));
    if (!info) throw keyNotFound(id);
    await deps.changes.publish(id).catch(() => undefined);
    res.json(info);
  });
}
