import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * A worker thread that runs the module at `entry`. From TypeScript sources (tests, `nx serve`) the
 * thread registers tsx itself before importing it, as a worker inherits no loader, under the same
 * `@gantry/source` condition (engine processes get both through their exec arguments instead).
 */
export function startModuleThread(entry: URL, workerData: unknown): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, { workerData });
  // require.resolve finds tsx's CommonJS build; the thread imports its ES module sibling.
  const tsxApi = createRequire(import.meta.url)
    .resolve('tsx/esm/api')
    .replace(/\.cjs$/, '.mjs');
  const tsx = pathToFileURL(tsxApi).href;
  const boot = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(boot, { eval: true, execArgv: ['--conditions=@gantry/source'], workerData });
}
