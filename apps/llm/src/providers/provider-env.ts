import { availableParallelism } from 'node:os';
import { parseEnv, positiveInt } from '@gantry/config';
import { z } from 'zod';

const ProviderChoice = z.enum(['local', 'openai', 'ollama', 'llama-cpp']);
type ProviderChoice = z.infer<typeof ProviderChoice>;

/** The settings one job type runs with. */
export interface GenerativeSettings {
  provider: ProviderChoice;
  model: string | undefined;
  baseUrl: string | undefined;
  apiKey: string | undefined;
  timeoutMs: number;
}

export interface ProviderEnv {
  /** By job type (`llm.rewrite` …). */
  jobs: Map<string, GenerativeSettings>;
  /** llama-cpp: CPU threads per engine process, and context size (left out: fitted by node-llama-cpp). */
  threads: number;
  contextSize: number | undefined;
}

/** `llm.draft-reply` → `DRAFT_REPLY`: the suffix of its override variables. */
export const jobSuffix = (type: string) =>
  type
    .replace(/^llm\./, '')
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '_');

const optionalText = z.string().min(1).optional();

function settingsFields(suffix: string) {
  return {
    [`LLM_PROVIDER${suffix}`]: suffix ? ProviderChoice.optional() : ProviderChoice.default('local'),
    [`LLM_MODEL${suffix}`]: optionalText,
    [`LLM_BASE_URL${suffix}`]: z.url().optional(),
    [`LLM_API_KEY${suffix}`]: optionalText,
    [`LLM_TIMEOUT_MS${suffix}`]: suffix ? z.coerce.number().int().positive().optional() : positiveInt(60_000),
  };
}

/**
 * The llm worker's provider configuration, parsed once per engine process. `LLM_*` configure the
 * deployment; `LLM_*_<JOB>` (e.g. `LLM_PROVIDER_REWRITE`) override them for one job type. A job type
 * that names its own provider takes its model, base URL and key from its own variables only, so a
 * deployment's OpenAI key never travels to a per-job Ollama server.
 */
export function loadProviderEnv(
  jobTypes: readonly string[],
  env: NodeJS.ProcessEnv,
  workerConcurrency: number,
): ProviderEnv {
  const suffixes = ['', ...jobTypes.map((type) => `_${jobSuffix(type)}`)];
  const schema = z
    .object({
      ...Object.assign({}, ...suffixes.map(settingsFields)),
      LLM_THREADS: positiveInt(Math.max(1, Math.floor(availableParallelism() / workerConcurrency))),
      LLM_CONTEXT_SIZE: z.coerce.number().int().min(64).optional(),
    })
    .superRefine((values: Record<string, unknown>, ctx) => {
      for (const suffix of suffixes) {
        const own = values[`LLM_PROVIDER${suffix}`] !== undefined;
        const provider = values[`LLM_PROVIDER${suffix}`] ?? values['LLM_PROVIDER'];
        const model = values[`LLM_MODEL${suffix}`] ?? (own ? undefined : values['LLM_MODEL']);
        if (provider !== 'local' && model === undefined) {
          ctx.addIssue({
            code: 'custom',
            path: [`LLM_MODEL${own ? suffix : ''}`],
            message: `LLM_PROVIDER${own ? suffix : ''}=${String(provider)} needs a model (a GGUF path for llama-cpp)`,
          });
        }
      }
    });
  const values = parseEnv(schema, env) as Record<string, unknown>;
  const read = (name: string, suffix: string, inherit: boolean) =>
    (values[`${name}${suffix}`] ?? (inherit ? values[name] : undefined)) as string | undefined;
  const jobs = new Map<string, GenerativeSettings>();
  for (const type of jobTypes) {
    const suffix = `_${jobSuffix(type)}`;
    const inherit = values[`LLM_PROVIDER${suffix}`] === undefined;
    jobs.set(type, {
      provider: (read('LLM_PROVIDER', suffix, true) ?? 'local') as ProviderChoice,
      model: read('LLM_MODEL', suffix, inherit),
      baseUrl: read('LLM_BASE_URL', suffix, inherit),
      apiKey: read('LLM_API_KEY', suffix, inherit),
      timeoutMs: Number(values[`LLM_TIMEOUT_MS${suffix}`] ?? values['LLM_TIMEOUT_MS']),
    });
  }
  return {
    jobs,
    threads: values['LLM_THREADS'] as number,
    contextSize: values['LLM_CONTEXT_SIZE'] as number | undefined,
  };
}
