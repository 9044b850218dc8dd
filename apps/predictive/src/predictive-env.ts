import { parseEnv } from '@gantry/config';
import { z } from 'zod';

/** The predictive engine's own settings, beside the shared worker environment. */
const PredictiveEnv = z.object({
  /** The model registry: versioned models, a manifest each; shared by every predictive worker. */
  PREDICTIVE_REGISTRY_DIR: z.string().min(1).default('.gantry/model-registry'),
});

export const loadPredictiveEnv = (env: NodeJS.ProcessEnv = process.env) => parseEnv(PredictiveEnv, env);
