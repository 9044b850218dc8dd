/**
 * `npx nx run @gantry/predictive-models:registry -- <list|promote|rollback> <name> [version] [--dir DIR]`:
 * lists a model's versions, promotes one, or rolls back to the one promoted before. Running workers
 * pick the change up at their next job (they read the promotion on every job); no restart.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createModelRegistry } from '@gantry/predictive-worker/model-engines';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { dir: { type: 'string' } } });
const [command, name, version] = positionals;
const dir = path.resolve(values.dir ?? process.env['PREDICTIVE_REGISTRY_DIR'] ?? '.gantry/model-registry');
const registry = createModelRegistry(dir);

if (command === 'list' && name) {
  const { promoted, versions } = await registry.list(name);
  for (const manifest of versions) {
    const mark = manifest.version === promoted ? '*' : ' ';
    console.log(
      `${mark} ${name}@${manifest.version}  ${manifest.created_at}  ${JSON.stringify(manifest.metrics)}`,
    );
  }
} else if (command === 'promote' && name && version) {
  console.log(JSON.stringify(await registry.promote(name, version)));
} else if (command === 'rollback' && name) {
  console.log(JSON.stringify(await registry.rollback(name)));
} else {
  console.error('usage: registry <list|promote|rollback> <name> [version] [--dir DIR]');
  process.exitCode = 2;
}
