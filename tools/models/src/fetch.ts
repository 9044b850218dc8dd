/**
 * `npm run models:fetch`: puts every model file into MODELS_DIR (default .gantry/models),
 * downloading from its upstream release and refusing any file whose sha256 differs.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type ModelAsset, modelManifest } from './model-manifest.js';

const modelsDir = path.resolve(process.argv[2] ?? process.env['MODELS_DIR'] ?? '.gantry/models');
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function current(file: string): Promise<string | null> {
  try {
    return sha256(await readFile(file));
  } catch {
    return null;
  }
}

async function fetchAsset(asset: ModelAsset): Promise<void> {
  const target = path.join(modelsDir, asset.path);
  if ((await current(target)) === asset.sha256) {
    console.log(`ok       ${asset.path}`);
    return;
  }
  const bytes =
    'text' in asset.source
      ? Buffer.from(asset.source.text)
      : Buffer.from(
          await (await fetch(asset.source.url, { signal: AbortSignal.timeout(120_000) })).arrayBuffer(),
        );
  const actual = sha256(bytes);
  if (actual !== asset.sha256) {
    throw new Error(`${asset.path}: sha256 ${actual} is not the pinned ${asset.sha256}; refusing it`);
  }
  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(`${target}.partial`, bytes);
  await rename(`${target}.partial`, target);
  console.log(`fetched  ${asset.path} (${bytes.length} bytes)`);
}

let failed = false;
for (const asset of modelManifest) {
  try {
    await fetchAsset(asset);
  } catch (error) {
    failed = true;
    console.error(`failed   ${asset.path}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
console.log(failed ? `some models are missing in ${modelsDir}` : `all models are in ${modelsDir}`);
process.exitCode = failed ? 1 : 0;
