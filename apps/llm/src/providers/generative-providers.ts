import type { ModelInfo } from '@gantry/contracts';
import type { EngineDevice } from '@gantry/queue-runtime';
import type { GenerativeProvider } from './generative-provider.js';
import type { LlamaCppProvider } from './llama-cpp-provider.js';
import type { GenerativeSettings, ProviderEnv } from './provider-env.js';
import { defaultResilience, type ResilienceSettings, withResilience } from './resilient-provider.js';

/** The seam every llm handler uses: the generative provider a job type is configured with, if any. */
export interface GenerativeProviders {
  /** undefined: this job type runs on the embedded `local` provider (no LLM configured for it). */
  resolve(jobType: string): GenerativeProvider | undefined;
  readonly models: ModelInfo[];
  /** Where the llama-cpp model runs; undefined when none is configured. */
  readonly device: EngineDevice | undefined;
  dispose(): Promise<void>;
}

/** How a generative model is announced and stamped on outputs: `<provider>:<model>`. */
export function generativeModel(provider: GenerativeProvider): ModelInfo {
  // No sha256: hashing a multi-GB GGUF at every boot costs seconds, and a remote model has no file.
  return { name: `${provider.name}:${provider.model}`, version: provider.name, sha256: null };
}

/**
 * One provider per distinct configuration (job types that share settings share its circuit breaker),
 * and each GGUF file loaded once per engine process. Network providers run in the engine process too:
 * the runtime has one place for handlers, and killing the process on cancel also closes its sockets.
 */
export async function loadGenerativeProviders(
  env: ProviderEnv,
  options: { gpu: boolean; resilience?: Partial<Omit<ResilienceSettings, 'timeoutMs'>> },
): Promise<GenerativeProviders> {
  const byConfig = new Map<string, GenerativeProvider>();
  const ggufs = new Map<string, LlamaCppProvider>();
  const byJob = new Map<string, GenerativeProvider>();

  const create = async (settings: GenerativeSettings & { model: string }): Promise<GenerativeProvider> => {
    // Imported on demand: LangChain and node-llama-cpp take seconds to load, and a deployment
    // pays only for the provider it configures (none, for the embedded default).
    switch (settings.provider) {
      case 'openai':
        return (await import('./openai-provider.js')).createOpenAiProvider(settings);
      case 'ollama':
        return (await import('./ollama-provider.js')).createOllamaProvider(settings);
      default: {
        const { loadLlamaCppProvider } = await import('./llama-cpp-provider.js');
        const loaded =
          ggufs.get(settings.model) ??
          (await loadLlamaCppProvider({
            modelPath: settings.model,
            threads: env.threads,
            gpu: options.gpu,
            ...(env.contextSize ? { contextSize: env.contextSize } : {}),
          }));
        ggufs.set(settings.model, loaded);
        return loaded;
      }
    }
  };

  for (const [type, settings] of env.jobs) {
    if (settings.provider === 'local' || settings.model === undefined) continue;
    const key = JSON.stringify(settings);
    let provider = byConfig.get(key);
    if (!provider) {
      provider = withResilience(await create({ ...settings, model: settings.model }), {
        ...defaultResilience,
        ...options.resilience,
        timeoutMs: settings.timeoutMs,
      });
      byConfig.set(key, provider);
    }
    byJob.set(type, provider);
  }

  const models = [
    ...new Map([...byJob.values()].map((provider) => [generativeModel(provider).name, provider])).values(),
  ].map(generativeModel);

  return {
    resolve: (jobType) => byJob.get(jobType),
    models,
    device: [...ggufs.values()][0]?.device,
    async dispose() {
      await Promise.all([...ggufs.values()].map((gguf) => gguf.dispose()));
    },
  };
}
