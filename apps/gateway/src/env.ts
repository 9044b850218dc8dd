import { parseEnv, port, positiveInt, sharedEnv } from '@gantry/config';
import { z } from 'zod';

export const GatewayEnv = z.object({
  ...sharedEnv,
  DATABASE_URL: z
    .string()
    .min(1, 'set DATABASE_URL to a PostgreSQL URL (the quick start runs an embedded one)'),
  GATEWAY_HOST: z.string().default('0.0.0.0'),
  GATEWAY_PORT: port(8080),
  /** Largest JSON body, in bytes. */
  GATEWAY_JSON_LIMIT_BYTES: positiveInt(1_048_576),
  /** Largest uploaded file, in bytes. */
  GATEWAY_FILE_LIMIT_BYTES: positiveInt(50 * 1_048_576),
  /** Longest `Prefer: wait=N`, in seconds. */
  GATEWAY_MAX_WAIT_S: positiveInt(60),
});
export type GatewayEnv = z.infer<typeof GatewayEnv>;

export const loadGatewayEnv = (env: NodeJS.ProcessEnv = process.env) => parseEnv(GatewayEnv, env);
