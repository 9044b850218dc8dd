import { Gauge, type Registry } from '@gantry/observability';
import type { RequestDrain } from './request-drain.js';

/**
 * `gantry_http_requests_in_flight`: requests begun and not yet answered on this replica, long waits
 * (SSE streams, `Prefer: wait`) included — what a stop has to drain.
 */
export function registerRequestsInFlightGauge(registry: Registry, drain: RequestDrain): void {
  new Gauge({
    name: 'gantry_http_requests_in_flight',
    help: 'HTTP requests begun and not yet answered on this replica',
    registers: [registry],
    collect() {
      this.set(drain.inFlight);
    },
  });
}
