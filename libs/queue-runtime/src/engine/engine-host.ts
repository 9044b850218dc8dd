/**
 * Entry point of an engine process: loads the worker module, runs its setup once (models stay
 * warm across jobs), then runs one job at a time for the parent. Native inference cannot be
 * interrupted, so the parent stops work by killing this process; `signal` is the polite first step.
 */
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { createBlobStore } from '@gantry/blob-store';
import { GantryError, type ModelInfo } from '@gantry/contracts';
import { createLogger } from '@gantry/observability';
import type { AnyWorkerDefinition, Handler } from '../define-worker.js';
import { loadWorkerEnv } from '../worker-env.js';
import type { EngineReply, EngineRequest } from './engine-messages.js';
import { exitWithParent } from './exit-with-parent.js';

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
  const { engines, models, device } = setup;
  const handlers = definition.handlers as Record<string, Handler<never, unknown>>;
  const contracts = new Map(definition.contracts.map((c) => [c.type, c]));

  process.on('message', (request: EngineRequest) => {
    if (request.kind === 'abort') {
      aborts.get(request.jobId)?.abort(new GantryError('JOB_CANCELED', 'aborted'));
      return;
    }
    void run(request);
  });
  send({ kind: 'ready', models, types: Object.keys(handlers), device: device ?? null });

  async function run(request: Extract<EngineRequest, { kind: 'run' }>): Promise<void> {
    const controller = new AbortController();
    aborts.set(request.jobId, controller);
    let model: ModelInfo | null = models[0] ?? null;
    const jobLogger = logger.child({
      jobId: request.jobId,
      type: request.type,
      attempt: request.attempt,
      traceId: request.traceId,
    });
    try {
      const handler = handlers[request.type];
      const contract = contracts.get(request.type);
      if (!handler || !contract) throw new GantryError('VALIDATION_FAILED', `no handler for ${request.type}`);
      const parsed = contract.input.safeParse(request.input);
      if (!parsed.success) {
        throw new GantryError('VALIDATION_FAILED', 'input does not match the job type schema', {
          details: { issues: parsed.error.issues },
        });
      }
      const output = await handler(
        parsed.data as never,
        {
          jobId: request.jobId,
          attempt: request.attempt,
          signal: controller.signal,
          logger: jobLogger,
          progress: (pct, message) =>
            send({ kind: 'progress', jobId: request.jobId, pct: clampPct(pct), message: message ?? null }),
          readBlob: (ref) => blobs.read(request.tenant, ref.blob_id),
          writeBlob: async (bytes, { filename }) => {
            const { blob_id, media_type, size, sha256 } = await blobs.put(
              request.tenant,
              Readable.from([bytes]),
              {
                filename,
                maxBytes: bytes.length,
              },
            );
            return { blob_id, media_type, size, sha256, filename };
          },
          useModel: (info) => {
            model = info;
          },
        },
        engines,
      );
      send({ kind: 'result', jobId: request.jobId, output: contract.output.parse(output), model });
    } catch (error) {
      const failure = GantryError.from(error, 'HANDLER_FAILED');
      if (failure.code === 'HANDLER_FAILED') jobLogger.error({ err: error }, 'handler failed');
      send({ kind: 'failed', jobId: request.jobId, error: failure.toInfo() });
    } finally {
      aborts.delete(request.jobId);
    }
  }
}

const clampPct = (pct: number) => Math.max(0, Math.min(100, Number.isFinite(pct) ? pct : 0));

main().catch((error: unknown) => {
  send({ kind: 'setup-failed', error: GantryError.from(error, 'INTERNAL').toInfo() });
  logger.fatal({ err: error }, 'engine process failed to start');
  setTimeout(() => process.exit(1), 100);
});
