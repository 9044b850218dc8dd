import { constants, PerformanceObserver } from 'node:perf_hooks';
import type { ChildReply, ChildRequest } from './child-service.js';

export interface BenchServer {
  url: string | null;
  /** Processes it started, e.g. a worker's engine processes. */
  pids?: number[];
  close(): Promise<void>;
}

/**
 * The child side of a `ChildService`: starts the server, says ready, answers questions about its
 * memory and CPU, and closes on request — or when the bench goes away, so a killed bench leaves
 * nothing running.
 */
export function serveBench(start: () => Promise<BenchServer>): void {
  const send = (reply: ChildReply) => process.send?.(reply);
  // Scavenge pauses stop the server's only thread: what they add up to per request is most of its tail.
  const gc = { scavenges: 0, scavengeMs: 0 };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const { detail } = entry as { detail?: { kind?: number } };
      if (detail?.kind !== constants.NODE_PERFORMANCE_GC_MINOR) continue;
      gc.scavenges += 1;
      gc.scavengeMs += entry.duration;
    }
  }).observe({ entryTypes: ['gc'] });
  start().then(
    (server) => {
      let closing = false;
      const close = () => {
        if (closing) return;
        closing = true;
        server.close().then(
          () => process.exit(0),
          (error: unknown) => {
            console.error(error);
            process.exit(1);
          },
        );
      };
      process.on('message', (request: ChildRequest) => {
        if (request.kind === 'stop') {
          close();
          return;
        }
        const cpu = process.cpuUsage();
        send({
          kind: 'stats',
          stats: { rss: process.memoryUsage.rss(), cpuMs: (cpu.user + cpu.system) / 1_000, ...gc },
        });
      });
      process.on('disconnect', close);
      process.once('SIGTERM', close);
      send({ kind: 'ready', url: server.url, pids: server.pids ?? [] });
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
