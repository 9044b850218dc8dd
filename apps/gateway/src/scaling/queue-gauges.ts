import { Gauge, type Registry } from '@gantry/observability';
import { queueJobStates, type QueueSignal, type QueueSignals } from './queue-signals.js';

/**
 * The scaling signals on the gateway's `/metrics`: `gantry_queue_jobs{queue,state}`, what BullMQ
 * really holds (`waiting` counts the `prioritized` set, where every Gantry job sits — a scaler
 * reading the `wait` list alone sees zero), and `gantry_queue_replicas_needed{queue}`, which each
 * worker's KEDA ScaledObject reads. Values are read when scraped, through the signals' cache.
 */
export function registerQueueGauges(registry: Registry, signals: QueueSignals): void {
  const each = (set: (signal: QueueSignal) => void) => async () => {
    for (const signal of await signals.read()) set(signal);
  };
  new Gauge({
    name: 'gantry_queue_jobs',
    help: 'Jobs in a queue by BullMQ state (waiting = wait + prioritized)',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      await each((signal) => {
        for (const state of queueJobStates) this.set({ queue: signal.queue, state }, signal.jobs[state]);
      })();
    },
  });
  new Gauge({
    name: 'gantry_queue_replicas_needed',
    help: 'Worker replicas that keep the queue wait under the target: backlog x mean service time / target wait / slots per replica',
    labelNames: ['queue'],
    registers: [registry],
    async collect() {
      await each((signal) => this.set({ queue: signal.queue }, signal.replicasNeeded))();
    },
  });
  new Gauge({
    name: 'gantry_queue_mean_service_seconds',
    help: 'Recent mean time from a worker taking a job to finishing it',
    labelNames: ['queue'],
    registers: [registry],
    async collect() {
      await each((signal) => this.set({ queue: signal.queue }, signal.meanServiceSeconds))();
    },
  });
  new Gauge({
    name: 'gantry_queue_ready_workers',
    help: 'Live workers of the queue that announce themselves ready',
    labelNames: ['queue'],
    registers: [registry],
    async collect() {
      await each((signal) => this.set({ queue: signal.queue }, signal.readyWorkers))();
    },
  });
}
