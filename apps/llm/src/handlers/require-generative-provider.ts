import { GantryError } from '@gantry/contracts';
import type { GenerativeProvider } from '../providers/generative-provider.js';
import type { GenerativeProviders } from '../providers/generative-providers.js';
import { jobSuffix } from '../providers/provider-env.js';

/** The job type's generative provider, or LLM_PROVIDER_REQUIRED naming the variables to set. */
export function requireGenerativeProvider(
  generative: GenerativeProviders,
  jobType: string,
): GenerativeProvider {
  const provider = generative.resolve(jobType);
  if (provider) return provider;
  throw new GantryError(
    'LLM_PROVIDER_REQUIRED',
    `${jobType} needs a generative LLM: set LLM_PROVIDER (or LLM_PROVIDER_${jobSuffix(jobType)}) to openai, ollama or llama-cpp, and LLM_MODEL`,
    { details: { job_type: jobType } },
  );
}
