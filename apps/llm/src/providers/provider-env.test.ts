import { describe, expect, it } from 'vitest';
import { loadProviderEnv } from './provider-env.js';

const types = ['llm.sentiment', 'llm.rewrite', 'llm.draft-reply'];

describe('loadProviderEnv', () => {
  it('leaves every job type on the embedded local provider by default', () => {
    const env = loadProviderEnv(types, {}, 1);
    expect([...env.jobs.values()].map((s) => s.provider)).toEqual(['local', 'local', 'local']);
    expect(env.jobs.get('llm.rewrite')?.timeoutMs).toBe(60_000);
  });

  it('lets a job type override the deployment, without inheriting its model, URL or key', () => {
    const env = loadProviderEnv(
      types,
      {
        LLM_PROVIDER: 'openai',
        LLM_MODEL: 'gpt-4o-mini',
        LLM_API_KEY: 'sk-1',
        LLM_TIMEOUT_MS: '5000',
        LLM_PROVIDER_DRAFT_REPLY: 'ollama',
        LLM_MODEL_DRAFT_REPLY: 'llama3.2',
        LLM_BASE_URL_DRAFT_REPLY: 'http://ollama:11434',
        LLM_PROVIDER_SENTIMENT: 'local',
      },
      1,
    );
    expect(env.jobs.get('llm.rewrite')).toEqual({
      provider: 'openai',
      model: 'gpt-4o-mini',
      apiKey: 'sk-1',
      baseUrl: undefined,
      timeoutMs: 5_000,
    });
    expect(env.jobs.get('llm.draft-reply')).toEqual({
      provider: 'ollama',
      model: 'llama3.2',
      apiKey: undefined,
      baseUrl: 'http://ollama:11434',
      timeoutMs: 5_000,
    });
    expect(env.jobs.get('llm.sentiment')?.provider).toBe('local');
  });

  it('names the variables to fix in one error', () => {
    expect(() => loadProviderEnv(types, { LLM_PROVIDER_REWRITE: 'gpt', LLM_BASE_URL: 'nope' }, 1)).toThrow(
      /LLM_BASE_URL[\s\S]*LLM_PROVIDER_REWRITE/,
    );
  });

  it('asks for a model wherever a generative provider is chosen', () => {
    expect(() => loadProviderEnv(types, { LLM_PROVIDER: 'llama-cpp' }, 1)).toThrow(
      /LLM_MODEL: LLM_PROVIDER=llama-cpp needs a model/,
    );
    expect(() => loadProviderEnv(types, { LLM_PROVIDER_REWRITE: 'ollama', LLM_MODEL: 'x' }, 1)).toThrow(
      /LLM_MODEL_REWRITE: LLM_PROVIDER_REWRITE=ollama needs a model/,
    );
  });

  it('gives each engine process its share of the cores', () => {
    expect(loadProviderEnv(types, { LLM_THREADS: '3' }, 4).threads).toBe(3);
    expect(loadProviderEnv(types, {}, 10_000).threads).toBe(1);
  });
});
