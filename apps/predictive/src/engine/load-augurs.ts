import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import initEts from '@bsull/augurs/ets';
import initMstl from '@bsull/augurs/mstl';
import type { ModelInfo } from '@gantry/contracts';

const require = createRequire(import.meta.url);

/**
 * Instantiates augurs' ETS and MSTL wasm modules from the installed package's own bytes: without
 * bytes their init functions would `fetch` the files. Safe to call again; a module initialises once.
 * The sha256 covers ets_bg.wasm followed by mstl_bg.wasm, the two files the forecasts run on.
 */
export async function loadAugurs(): Promise<ModelInfo> {
  // The package exports no package.json or wasm subpaths, so locate them beside an exported entry.
  const packageDir = path.dirname(require.resolve('@bsull/augurs/ets'));
  const [etsBytes, mstlBytes, manifest] = await Promise.all([
    readFile(path.join(packageDir, 'ets_bg.wasm')),
    readFile(path.join(packageDir, 'mstl_bg.wasm')),
    readFile(path.join(packageDir, 'package.json'), 'utf8'),
  ]);
  await Promise.all([initEts({ module_or_path: etsBytes }), initMstl({ module_or_path: mstlBytes })]);
  const { version } = JSON.parse(manifest) as { version: string };
  const sha256 = createHash('sha256').update(etsBytes).update(mstlBytes).digest('hex');
  return { name: 'augurs', version, sha256 };
}
