import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The monorepo root: apps run from here, as the README starts them. */
export const repoRoot = path.resolve(fileURLToPath(import.meta.url), '../../../../..');

/** Models shared by the team (MODELS_DIR, default `../shared/models` beside the repo). */
export const modelsDir = process.env['MODELS_DIR'] ?? path.resolve(repoRoot, '../shared/models');

/** The build output of an app, e.g. `appEntry('gateway', 'main')` → apps/gateway/dist/main.js. */
export const appEntry = (app: string, file = 'main') =>
  path.join(repoRoot, 'apps', app, 'dist', `${file}.js`);
