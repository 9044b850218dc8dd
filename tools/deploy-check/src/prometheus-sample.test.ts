import { describe, expect, it } from 'vitest';
import { prometheusSample } from './prometheus-sample.js';

const exposition = `# HELP gantry_queue_replicas_needed Worker replicas
# TYPE gantry_queue_replicas_needed gauge
gantry_queue_replicas_needed{queue="llm",service="gateway"} 0
gantry_queue_replicas_needed{queue="ocr",service="gateway"} 3
gantry_queue_replicas_needed_other{queue="ocr"} 9
process_cpu_seconds_total 12.5
`;

describe('prometheusSample', () => {
  it('matches the name and a subset of the labels, as KEDA does', () => {
    expect(prometheusSample(exposition, 'gantry_queue_replicas_needed{queue="ocr"}')).toBe(3);
    expect(prometheusSample(exposition, 'gantry_queue_replicas_needed{queue="llm"}')).toBe(0);
    expect(prometheusSample(exposition, 'process_cpu_seconds_total')).toBe(12.5);
  });

  it('is null when no sample matches', () => {
    expect(prometheusSample(exposition, 'gantry_queue_replicas_needed{queue="vision"}')).toBeNull();
    expect(prometheusSample(exposition, 'gantry_queue_jobs{queue="ocr"}')).toBeNull();
  });

  it('refuses what is not a selector', () => {
    expect(() => prometheusSample(exposition, 'sum(x)')).toThrow(/selector/);
  });
});
