import { describe, expect, it } from 'vitest';
import { backlogOf, parseQueueFigures, throughputPerMinute } from './queue-metrics.js';

// The gateway's own exposition format (prom-client), trimmed to a few lines of each kind.
const exposition = `# HELP gantry_queue_jobs Jobs in a queue by BullMQ state (waiting = wait + prioritized)
# TYPE gantry_queue_jobs gauge
gantry_queue_jobs{queue="ocr",state="waiting"} 12
gantry_queue_jobs{queue="ocr",state="delayed"} 3
gantry_queue_jobs{queue="ocr",state="active"} 2
gantry_queue_jobs{queue="ocr",state="paused"} 0
gantry_queue_jobs{queue="llm",state="waiting"} 0
gantry_queue_jobs{queue="llm",state="paused"} 7
# TYPE gantry_queue_mean_service_seconds gauge
gantry_queue_mean_service_seconds{queue="ocr"} 4
gantry_http_request_duration_seconds_bucket{le="0.1",route="/v1/jobs"} 9
`;

describe('the queue figures of /metrics', () => {
  it('reads each queue’s job counts and mean service time, ignoring other metrics', () => {
    const [llm, ocr] = parseQueueFigures(exposition);
    expect(ocr).toEqual({
      queue: 'ocr',
      waiting: 12,
      delayed: 3,
      active: 2,
      paused: 0,
      meanServiceSeconds: 4,
    });
    expect(llm).toMatchObject({ queue: 'llm', paused: 7, meanServiceSeconds: null });
  });

  it('counts paused jobs in the backlog, and derives throughput from running jobs and service time', () => {
    const [llm, ocr] = parseQueueFigures(exposition);
    expect(ocr && backlogOf(ocr)).toBe(15);
    expect(llm && backlogOf(llm)).toBe(7);
    expect(ocr && throughputPerMinute(ocr)).toBe(30);
    expect(llm && throughputPerMinute(llm)).toBeNull();
  });

  it('skips malformed samples rather than failing the page', () => {
    expect(
      parseQueueFigures(
        'gantry_queue_jobs{state="waiting"} 1\ngantry_queue_jobs{queue="x",state="waiting"} NaN\n',
      ),
    ).toEqual([]);
  });
});
