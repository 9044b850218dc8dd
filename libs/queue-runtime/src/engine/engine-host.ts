/**
 * Entry point of an engine process: loads the worker module, runs its setup once (models stay
 * warm across jobs), then runs the jobs the parent sends: one at a time, or several of shared types at once.
 * Native inference cannot be interrupted, so the parent stops work by killing this process; `signal` is the
 * polite first step (and, for shared types, the only one while the job answers within the grace).
 */
import { pathToFileURL } from 'node:url';
import { createBlobStore } from '@gantry/blob-store';
import { GantryError } from '@gantry/contracts';
import { createLogger } from '@gantry/observability';
import type { AnyWorkerDefinition } from '../define-worker.js';
import { loadWorkerEnv } from '../worker-env.js';
import type { EngineReply, EngineRequest } from './engine-messages.js';
import { exitWithParent } from './exit-with-parent.js';
import { handlerHost, runHandler } from './run-handler.js';

const [modulePath] = process.argv.slice(2);
const env = loadWorkerEnv();
const logger = createLogger(env.GANTRY_SERVICE, env.LOG_LEVEL);
const blobs = createBlobStore(env);
const aborts = new Map<string, AbortController>();

const send = (reply: EngineReply) => process.send?.(reply);

// The parent going away (crash, SIGKILL) must not leave an orphan holding a CPU.
exitWithParent((error) =>
  logger.warn({ err: error }, 'parent watchdog stopped; an orphan may outlive its worker'),
);

async function main(): Promise<void> {
  if (!modulePath) throw new Error('engine-host needs the worker module path');
  const module = (await import(pathToFileURL(modulePath).href)) as { default: AnyWorkerDefinition };
  const definition = module.default;
  let setup;
  try {
    setup = await definition.setup({ logger, env });
  } catch (error) {
    send({ kind: 'setup-failed', error: GantryError.from(error, 'MODEL_UNAVAILABLE').toInfo() });
    return;
  }
  const host = handlerHost(definition, setup, blobs, logger);

  process.on('message', (request: EngineRequest) => {
    if (request.kind === 'abort') {
      aborts.get(request.jobId)?.abort(new GantryError('JOB_CANCELED', 'aborted'));
      return;
    }
    void run(request);
  });
  send({
    kind: 'ready',
    models: setup.models,
    types: Object.keys(host.handlers),
    device: setup.device ?? null,
  });

  async function run(job: Extract<EngineRequest, { kind: 'run' }>): Promise<void> {
    const controller = new AbortController();
    aborts.set(job.jobId, controller);
    try {
      const outcome = await runHandler(host, job, controller.signal, (pct, message) =>
        send({ kind: 'progress', jobId: job.jobId, pct, message }),
      );
      send({ ...outcome, jobId: job.jobId });
    } finally {
      aborts.delete(job.jobId);
    }
  }
}

main().catch((error: unknown) => {
  send({ kind: 'setup-failed', error: GantryError.from(error, 'INTERNAL').toInfo() });
  logger.fatal({ err: error }, 'engine process failed to start');
  setTimeout(() => process.exit(1), 100);
});
