import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ModelAsset } from './model-manifest.js';

export interface FetchModelAssetsOptions {
  /** Where the files go (MODELS_DIR). */
  modelsDir: string;
  /** A folder with the same layout to copy from instead of downloading (no network needed). */
  from?: string;
  log: (line: string) => void;
}

/** Shown once when a download could not reach its host, as on a machine without internet. */
export const offlineHint =
  "no network? copy the files from a folder that has them (another machine's MODELS_DIR, or the team's shared/models): npm run models:fetch -- --from DIR";

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function current(file: string): Promise<string | null> {
  try {
    return sha256(await readFile(file));
  } catch {
    return null;
  }
}

/** A download that never got an HTTP answer (DNS, refused, unreachable, timed out). */
class UnreachableError extends Error {}

async function download(url: string): Promise<Buffer> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(120_000) });
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    throw new UnreachableError(`${url} could not be reached (${String(error)}${cause})`);
  }
  if (!response.ok) throw new Error(`${url} answered ${response.status} ${response.statusText}`);
  return Buffer.from(await response.arrayBuffer());
}

async function obtain(asset: ModelAsset, from: string | undefined): Promise<Buffer> {
  if ('text' in asset.source) return Buffer.from(asset.source.text);
  if (from !== undefined) return readFile(path.join(from, asset.path));
  return download(asset.source.url);
}

/**
 * Puts every asset into modelsDir, downloading it (or copying it from `from`) unless the right bytes
 * are already there, and refusing any file whose sha256 differs from the pinned one.
 * Resolves to whether every asset is in place.
 */
export async function fetchModelAssets(
  assets: readonly ModelAsset[],
  options: FetchModelAssetsOptions,
): Promise<boolean> {
  let complete = true;
  let unreachable = false;
  for (const asset of assets) {
    const target = path.join(options.modelsDir, asset.path);
    try {
      if ((await current(target)) === asset.sha256) {
        options.log(`ok       ${asset.path}`);
        continue;
      }
      const bytes = await obtain(asset, options.from);
      const actual = sha256(bytes);
      if (actual !== asset.sha256) {
        throw new Error(`sha256 ${actual} is not the pinned ${asset.sha256}; refusing it`);
      }
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(`${target}.partial`, bytes);
      await rename(`${target}.partial`, target);
      const verb = 'text' in asset.source ? 'written' : options.from === undefined ? 'fetched' : 'copied ';
      options.log(`${verb}  ${asset.path} (${bytes.length} bytes)`);
    } catch (error) {
      complete = false;
      unreachable ||= error instanceof UnreachableError;
      options.log(`failed   ${asset.path}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (unreachable) options.log(offlineHint);
  options.log(
    complete ? `all models are in ${options.modelsDir}` : `some models are missing in ${options.modelsDir}`,
  );
  return complete;
}
