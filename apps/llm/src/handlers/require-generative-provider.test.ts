import type { GantryError } from '@gantry/contracts';
import { describe, expect, it } from 'vitest';
import { loadGenerativeProviders } from '../providers/generative-providers.js';
import { loadProviderEnv } from '../providers/provider-env.js';
import { requireGenerativeProvider } from './require-generative-provider.js';

// Real: the provider registry built from the environment a deployment with no LLM has.
describe('requireGenerativeProvider', () => {
  it('answers LLM_PROVIDER_REQUIRED, naming the variables, when only the local provider is configured', async () => {
    const generative = await loadGenerativeProviders(loadProviderEnv(['llm.rewrite'], {}, 1), { gpu: false });
    const error = (() => {
      try {
        requireGenerativeProvider(generative, 'llm.rewrite');
      } catch (e) {
        return e as GantryError;
      }
      throw new Error('expected LLM_PROVIDER_REQUIRED');
    })();
    expect(error.toInfo()).toMatchObject({ code: 'LLM_PROVIDER_REQUIRED', retryable: false });
    expect(error.message).toContain('LLM_PROVIDER_REWRITE');
    expect(generative.models).toEqual([]);
  });

  it('hands out the configured provider, shared by job types with the same settings', async () => {
    const env = loadProviderEnv(
      ['llm.rewrite', 'llm.extract'],
      { LLM_PROVIDER: 'ollama', LLM_MODEL: 'llama3.2' },
      1,
    );
    const generative = await loadGenerativeProviders(env, { gpu: false });
    const provider = requireGenerativeProvider(generative, 'llm.rewrite');
    expect(provider).toMatchObject({ name: 'ollama', model: 'llama3.2' });
    expect(generative.resolve('llm.extract')).toBe(provider);
    expect(generative.models).toEqual([{ name: 'ollama:llama3.2', version: 'ollama', sha256: null }]);
  });
});
