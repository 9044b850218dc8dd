import { FlowNotify, FlowStore, GantryError, maxStoredJsonBytes } from '@gantry/contracts';
import { defineWorker } from '@gantry/queue-runtime';
import type { NotifyChecks } from '../notifications/check-notify.js';
import type { NotificationLog } from '../notifications/notification-log.js';
import type { NotificationQueue } from '../notifications/notification-queue.js';
import { sendFlowNotify } from './send-flow-notify.js';

export interface FlowSteps {
  notify: NotifyChecks & { log: NotificationLog; queue: NotificationQueue };
}

/**
 * The `flow` queue's worker: pipeline steps that only move data or talk to the network. Their contracts run
 * in the event loop, so the gateway hosts them beside notification delivery, whose log, queue and secrets
 * they reuse; no engine process, no deployable of their own.
 */
export const flowWorker = ({ notify }: FlowSteps) =>
  defineWorker({
    queue: 'flow',
    contracts: [FlowStore, FlowNotify],
    setup: async () => ({ engines: null, models: [] }),
  }).handle({
    'flow.store': async ({ data, filename }, ctx) => {
      const bytes = Buffer.from(JSON.stringify(data ?? null));
      if (bytes.length > maxStoredJsonBytes) {
        throw new GantryError('FLOW_STORE_TOO_LARGE', `the value is ${bytes.length} bytes as JSON`, {
          details: { bytes: bytes.length, max_bytes: maxStoredJsonBytes },
        });
      }
      return { blob: await ctx.writeBlob(bytes, { filename, mediaType: 'application/json' }) };
    },
    'flow.notify': (input, ctx) => sendFlowNotify(input, ctx, notify),
  });
