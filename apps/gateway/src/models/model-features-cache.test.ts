import { GantryError, type ModelRegistryCommand } from '@gantry/contracts';
import { createLogger } from '@gantry/observability';
import { describe, expect, it } from 'vitest';
import type { AskModelRegistry } from './ask-model-registry.js';
import { ModelFeaturesCache } from './model-features-cache.js';

// Real: the cache. Scripted: the registry's answers (what a predictive worker would answer over the
// control plane; the e2e test asks a real one), so expiry can be stepped through with a fake clock.
const logger = createLogger('test', 'silent');
const features = (version: string) => ({
  name: 'fraud',
  version,
  features: [{ name: 'amount', type: 'number' as const }],
});

function registry(answer: (command: ModelRegistryCommand) => unknown) {
  const asked: ModelRegistryCommand[] = [];
  const ask: AskModelRegistry = async (command) => {
    asked.push(command);
    return answer(command);
  };
  return { ask, asked };
}

describe('ModelFeaturesCache', () => {
  it('keeps a pinned version, asks again for the promoted one after its TTL or a promotion here', async () => {
    let promoted = '1';
    let now = 0;
    const { ask, asked } = registry((command) =>
      features(command.action === 'features' ? (command.version ?? promoted) : ''),
    );
    const cache = new ModelFeaturesCache(ask, { logger, promotedTtlMs: 1_000, now: () => now });

    expect((await cache.features('fraud'))?.version).toBe('1');
    expect((await cache.features('fraud', '1'))?.version).toBe('1');
    expect(asked).toHaveLength(1);

    promoted = '2';
    now = 999;
    expect((await cache.features('fraud'))?.version).toBe('1');
    now = 1_000;
    expect((await cache.features('fraud'))?.version).toBe('2');
    promoted = '3';
    cache.forgetPromotion('fraud');
    expect((await cache.features('fraud'))?.version).toBe('3');

    now = 1_000_000;
    expect((await cache.features('fraud', '1'))?.version).toBe('1');
    expect(asked).toHaveLength(3);
  });

  it('asks once for callers arriving together', async () => {
    const { ask, asked } = registry(() => features('1'));
    const cache = new ModelFeaturesCache(ask, { logger });
    await Promise.all([cache.features('fraud'), cache.features('fraud'), cache.features('fraud')]);
    expect(asked).toHaveLength(1);
  });

  it('answers null when nobody can tell: no worker, an older worker, nothing promoted, a bad answer', async () => {
    const answers: unknown[] = [
      new GantryError('MODEL_REGISTRY_UNAVAILABLE', 'none'),
      new GantryError('VALIDATION_FAILED', 'not a model registry command'),
      new GantryError('MODEL_VERSION_NOT_FOUND', 'nothing promoted yet'),
      { data: [] },
    ];
    for (const answer of answers) {
      const { ask } = registry(() => {
        if (answer instanceof Error) throw answer;
        return answer;
      });
      expect(await new ModelFeaturesCache(ask, { logger }).features('fraud')).toBeNull();
    }
  });

  it('rejects an unknown pinned version with the registry error', async () => {
    const { ask } = registry(() => {
      throw new GantryError('MODEL_VERSION_NOT_FOUND', 'model fraud has no version 42');
    });
    await expect(new ModelFeaturesCache(ask, { logger }).features('fraud', '42')).rejects.toMatchObject({
      code: 'MODEL_VERSION_NOT_FOUND',
    });
  });

  it('keeps at most maxEntries schemas, dropping the oldest', async () => {
    const { ask, asked } = registry((command) =>
      features(command.action === 'features' ? (command.version ?? '') : ''),
    );
    const cache = new ModelFeaturesCache(ask, { logger, maxEntries: 2 });
    for (const version of ['1', '2', '3', '1']) await cache.features('fraud', version);
    expect(asked).toHaveLength(4);
  });
});
