import { parseEnv, port, sharedEnv } from '@gantry/config';
import { z } from 'zod';

/** The quick start's own settings; everything else passes through to the apps. */
const StackEnv = z.object({
  ...sharedEnv,
  /** A PostgreSQL URL; without one an embedded PostgreSQL runs in GANTRY_HOME/postgres. */
  DATABASE_URL: z.string().optional(),
  GANTRY_HOME: z.string().default('.gantry'),
  /** The gateway's key for webhook secrets; without one, a key made once and kept in GANTRY_HOME. */
  WEBHOOK_SECRET_KEY: z.string().min(1).optional(),
  MODELS_DIR: z.string().default('.gantry/models'),
  GATEWAY_PORT: port(8080),
  EMBEDDED_POSTGRES_PORT: port(5433),
  /** Jobs at a time per worker app in the quick start (engine processes each). */
  STACK_WORKER_CONCURRENCY: z.coerce.number().int().positive().default(1),
  /** Comma list of worker apps to run. */
  STACK_WORKERS: z.string().default('ocr,llm,vision,predictive'),
});

export const loadStackEnv = () => parseEnv(StackEnv);
