import type { ControlClient } from '@gantry/control-plane';
import { GantryError, type ModelRegistryCommand } from '@gantry/contracts';

/** Asks the model registry a question; rejects with `MODEL_REGISTRY_UNAVAILABLE` when no worker answers. */
export type AskModelRegistry = (command: ModelRegistryCommand, timeoutMs?: number) => Promise<unknown>;

/**
 * The registry directory is mounted only in predictive workers, so the gateway asks one live worker
 * over the control plane and relays its answer, typed errors included (ADR 0011).
 */
export function askModelRegistry(control: ControlClient): AskModelRegistry {
  return async (command, timeoutMs) => {
    const workers = await control.listWorkers({ queue: 'predictive' });
    // A draining worker is on its way out; any other one mounts the same registry.
    const worker = workers.find((w) => w.state !== 'draining') ?? workers[0];
    const unavailable = (cause?: unknown) =>
      new GantryError('MODEL_REGISTRY_UNAVAILABLE', 'no live predictive worker answered; start one', {
        details: { workers: workers.length },
        cause,
      });
    if (!worker) throw unavailable();
    try {
      return await control.commandWorker(worker.id, command, timeoutMs);
    } catch (error) {
      throw error instanceof GantryError && error.code === 'WORKER_NOT_FOUND' ? unavailable(error) : error;
    }
  };
}
