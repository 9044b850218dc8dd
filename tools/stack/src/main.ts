/**
 * `npm start`: the whole stack on embedded defaults — Redis (the local one, or one it starts),
 * PostgreSQL (DATABASE_URL, or an embedded one), the gateway and every worker app, from build output.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppProcess } from './app-process.js';
import { ensureDevKey } from './ensure-dev-key.js';
import { ensurePostgres } from './ensure-postgres.js';
import { ensureRedis } from './ensure-redis.js';
import { ensureWebhookSecretKey } from './ensure-webhook-secret-key.js';
import { loadStackEnv } from './stack-env.js';

const root = path.resolve(fileURLToPath(import.meta.url), '../../../..');
const log = (line: string) => console.log(`[stack] ${line}`);
const env = loadStackEnv();

const stopRedis = await ensureRedis(env.REDIS_URL, env.GANTRY_HOME, log);
const postgres = await ensurePostgres(env.DATABASE_URL, env.GANTRY_HOME, env.EMBEDDED_POSTGRES_PORT, log);
const devKey = await ensureDevKey(postgres.url);
const webhookSecretKey = await ensureWebhookSecretKey(env.WEBHOOK_SECRET_KEY, env.GANTRY_HOME, log);

const appEnv: NodeJS.ProcessEnv = {
  ...process.env,
  DATABASE_URL: postgres.url,
  REDIS_URL: env.REDIS_URL,
  WEBHOOK_SECRET_KEY: webhookSecretKey,
  BLOB_DIR: path.resolve(
    env.BLOB_DIR === '.gantry/blobs' ? path.join(env.GANTRY_HOME, 'blobs') : env.BLOB_DIR,
  ),
  MODELS_DIR: path.resolve(env.MODELS_DIR),
  GATEWAY_PORT: String(env.GATEWAY_PORT),
  WORKER_CONCURRENCY: String(env.STACK_WORKER_CONCURRENCY),
  ORT_DISABLE_TELEMETRY: '1',
};
const apps = [
  new AppProcess('gateway', path.join(root, 'apps/gateway/dist/main.js'), appEnv, log),
  ...env.STACK_WORKERS.split(',').map((name) => {
    const entry = path.join(root, `apps/${name.trim()}/dist/main.js`);
    if (!existsSync(entry))
      throw new Error(`no worker app "${name}" (${entry}); build first: npx nx run-many -t build`);
    return new AppProcess(`${name.trim()}-worker`, entry, appEnv, log);
  }),
];
for (const app of apps) app.start();

log(
  `gateway on http://127.0.0.1:${env.GATEWAY_PORT} — API reference at http://127.0.0.1:${env.GATEWAY_PORT}/docs`,
);
if (devKey) {
  log('created an API key for tenant "dev" (scopes jobs, admin, platform); it is shown only this once:');
  // The variables the CLI and the SDK read, and the README's examples use.
  log(`  export GANTRY_URL=http://127.0.0.1:${env.GATEWAY_PORT} GANTRY_API_KEY=${devKey}`);
}
if (!existsSync(path.join(appEnv.MODELS_DIR ?? '', 'yolox-nano/yolox_nano.onnx'))) {
  log(
    `no models in ${appEnv.MODELS_DIR}: run \`npm run models:fetch\` (or set MODELS_DIR); the vision worker stays not ready until then`,
  );
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log('stopping…');
    void Promise.all(apps.map((app) => app.stop()))
      .then(() => postgres.stop())
      .then(() => stopRedis())
      .finally(() => process.exit(0));
  });
}
