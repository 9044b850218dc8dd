import { Readable } from 'node:stream';
import type { BlobStore } from '@gantry/blob-store';
import { GantryError, type JobContract, type ModelInfo } from '@gantry/contracts';
import type { Logger } from '@gantry/observability';
import type { AnyWorkerDefinition, Handler, WorkerSetup } from '../define-worker.js';
import type { EngineOutcome, EngineRun } from './engine-process.js';

/** A worker module once its setup ran: what every job of it needs, wherever it runs. */
export interface HandlerHost {
  setup: WorkerSetup<unknown>;
  handlers: Record<string, Handler<never, unknown>>;
  contracts: Map<string, JobContract>;
  blobs: BlobStore;
  logger: Logger;
}

export const handlerHost = (
  definition: AnyWorkerDefinition,
  setup: WorkerSetup<unknown>,
  blobs: BlobStore,
  logger: Logger,
): HandlerHost => ({
  setup,
  handlers: definition.handlers as Record<string, Handler<never, unknown>>,
  contracts: new Map(definition.contracts.map((c) => [c.type, c])),
  blobs,
  logger,
});

/**
 * One job: validates its input, runs its handler and validates the output. Shared by engine processes and
 * event-loop workers, so a handler sees the same context wherever its contract says it runs.
 */
export async function runHandler(
  host: HandlerHost,
  request: EngineRun,
  signal: AbortSignal,
  onProgress: (pct: number, message: string | null) => void,
): Promise<EngineOutcome> {
  const { setup, blobs } = host;
  let model: ModelInfo | null = setup.models[0] ?? null;
  const jobLogger = host.logger.child({
    jobId: request.jobId,
    type: request.type,
    attempt: request.attempt,
    traceId: request.traceId,
  });
  try {
    const handler = host.handlers[request.type];
    const contract = host.contracts.get(request.type);
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
        tenant: request.tenant,
        attempt: request.attempt,
        signal,
        logger: jobLogger,
        progress: (pct, message) => onProgress(clampPct(pct), message ?? null),
        readBlob: (ref) => blobs.read(request.tenant, ref.blob_id),
        writeBlob: async (bytes, { filename, mediaType }) => {
          const { blob_id, media_type, size, sha256 } = await blobs.put(
            request.tenant,
            Readable.from([bytes]),
            { filename, maxBytes: bytes.length, ...(mediaType === undefined ? {} : { mediaType }) },
          );
          return { blob_id, media_type, size, sha256, filename };
        },
        useModel: (info) => {
          model = info;
        },
      },
      setup.engines,
    );
    return { kind: 'result', output: contract.output.parse(output), model };
  } catch (error) {
    const failure = GantryError.from(error, 'HANDLER_FAILED');
    if (failure.code === 'HANDLER_FAILED') jobLogger.error({ err: error }, 'handler failed');
    return { kind: 'failed', error: failure.toInfo() };
  }
}

const clampPct = (pct: number) => Math.max(0, Math.min(100, Number.isFinite(pct) ? pct : 0));
