import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { UsageError } from './exit-codes.js';

const Profile = z.object({ url: z.url().optional(), api_key: z.string().min(1).optional() }).strict();
const ProfileFile = z.object({ profiles: z.record(z.string(), Profile) }).strict();

export interface CliConfig {
  url: string;
  apiKey: string | undefined;
}

/** `$GANTRY_CONFIG`, else `$XDG_CONFIG_HOME/gantry/config.json`, else `~/.config/gantry/config.json`. */
const profileFilePath = (env: NodeJS.ProcessEnv): string =>
  env['GANTRY_CONFIG'] ??
  path.join(env['XDG_CONFIG_HOME'] ?? path.join(homedir(), '.config'), 'gantry', 'config.json');

async function readProfile(file: string, name: string, asked: boolean): Promise<z.infer<typeof Profile>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    if (asked) throw new UsageError(`profile "${name}" asked for, but ${file} cannot be read`);
    return {};
  }
  let parsed: z.infer<typeof ProfileFile>;
  try {
    parsed = ProfileFile.parse(JSON.parse(text));
  } catch (error) {
    throw new UsageError(
      `${file} is not a gantry profile file ({ "profiles": { "<name>": { "url", "api_key" } } }): ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const profile = parsed.profiles[name];
  if (!profile && asked) throw new UsageError(`no profile "${name}" in ${file}`);
  return profile ?? {};
}

/**
 * Where to send requests, and with which key: `--url`/`--api-key`, else `GANTRY_URL`/`GANTRY_API_KEY`,
 * else the profile (`--profile`, `GANTRY_PROFILE`, or `default`) of the profile file.
 */
export async function loadCliConfig(
  flags: { url?: string | undefined; apiKey?: string | undefined; profile?: string | undefined },
  env: NodeJS.ProcessEnv,
): Promise<CliConfig> {
  const asked = flags.profile ?? env['GANTRY_PROFILE'];
  const profile = await readProfile(profileFilePath(env), asked ?? 'default', asked !== undefined);
  return {
    url: flags.url ?? env['GANTRY_URL'] ?? profile.url ?? 'http://127.0.0.1:8080',
    apiKey: flags.apiKey ?? env['GANTRY_API_KEY'] ?? profile.api_key,
  };
}
