import type { z } from 'zod';

/**
 * Parses an app's environment once, at boot. On failure it throws one error that lists every
 * variable to fix, so an operator sees all problems at once instead of one per restart.
 */
export function parseEnv<T extends z.ZodType>(schema: T, env: NodeJS.ProcessEnv = process.env): z.output<T> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  ${issue.path.join('.') || '(env)'}: ${issue.message}`);
  throw new Error(`Invalid configuration; set these environment variables:\n${lines.join('\n')}`);
}
