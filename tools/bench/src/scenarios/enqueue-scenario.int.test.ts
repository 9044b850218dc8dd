import { createPool } from '@gantry/job-store';
import { afterAll, describe, expect, it } from 'vitest';
import { BenchRun } from '../bench-run.js';
import { enqueueScenario } from './enqueue-scenario.js';

// Smoke test of the bench itself, at a tiny scale: the real gateway, worker, bare Express + BullMQ
// server, Redis and PostgreSQL, in child processes as in a full run. It checks that the table is
// filled with measurements, not how fast anything is (benchmarks report, tests assert).
const run = new BenchRun(true);

afterAll(() => run.cleanup());

const cells = (line: string) =>
  line
    .split('|')
    .slice(1, -1)
    .map((cell) => cell.trim());

describe('enqueue scenario (--quick, tiny)', () => {
  it('measures Gantry and bare Express + BullMQ into a table of numbers, and cleans up', async () => {
    const section = await enqueueScenario(run, { connections: 4, durationS: 1, warmupS: 0.3, pacedRate: 40 });

    const rows = section.lines.filter((line) => /^\| (Gantry gateway|bare Express)/.test(line)).map(cells);
    expect(rows).toHaveLength(2);
    for (const [
      ,
      perSecond,
      p50,
      p99,
      errors,
      rss,
      serverCpu,
      redisCpu,
      scavenges,
      pacedP50,
      pacedP99,
    ] of rows) {
      for (const value of [perSecond, p99, serverCpu, redisCpu, pacedP50, pacedP99]) {
        expect(Number(value)).toBeGreaterThan(0);
      }
      // A second of tiny load may see no scavenge at all: a number, zero or more, on each side.
      expect(scavenges).toMatch(/^\d+ \/ \d+$/);
      // autocannon counts whole milliseconds: a warm server at 4 connections can answer in under one.
      expect(Number(p50)).toBeGreaterThanOrEqual(0);
      expect(Number(p99)).toBeGreaterThanOrEqual(Number(p50));
      expect(errors).toBe('0');
      expect(rss).toMatch(/^\d+ MiB → \d+ MiB$/);
    }
    const verdicts = section.lines.filter((line) => line.startsWith('| Gantry ') && line.includes('**'));
    expect(verdicts).toHaveLength(3);
    for (const line of verdicts) expect(cells(line)[2]).toMatch(/^\*\*(PASS|FAIL)\*\*$/);

    // Each stack removes its keys and schema as it closes.
    expect(await run.deleteKeys(`bench-${run.id}-`)).toBe(0);
    const admin = createPool(run.env.BENCH_DATABASE_URL, { max: 1 });
    const { rows: schemas } = await admin.query(
      'SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE $1',
      [`bench_${run.id}_%`],
    );
    await admin.end();
    expect(schemas).toEqual([]);
  }, 90_000);
});
