import { BareStack } from '../bare-stack.js';
import { BenchNoop } from '../bench-contracts.js';
import type { BenchRun } from '../bench-run.js';
import { benchFile, type ProcessStats } from '../child-service.js';
import { GantryStack } from '../gantry-stack.js';
import { httpLoad, type HttpLoadResult } from '../http-load.js';
import { pacedLoad, type PacedLoadResult } from '../paced-load.js';
import { peakSampler } from '../peak-sampler.js';
import { redisCpuMs } from '../redis-cpu.js';
import { markdownTable, median, mib, num, percent, type Section, spread, verdict } from '../report-format.js';

export interface EnqueueOptions {
  connections: number;
  durationS: number;
  warmupS: number;
  /** The even rate of the second measurement, below what either side can take. */
  pacedRate: number;
  /** Passes at the even rate, each durationS long: one slow spell of a shared machine sets one pass's p99, not the row's. */
  pacedPasses: number;
}

interface Measured {
  load: HttpLoadResult;
  /** The even-rate passes, in order. */
  paced: PacedLoadResult[];
  idleRss: number;
  peakRss: number;
  /** CPU per accepted request during the flat-out measurement, in ms. */
  serverCpuMs: number;
  redisCpuMs: number;
  /** The server's scavenge pauses per request, in µs, flat out and at the even rate. */
  scavengeUs: { load: number; paced: number };
}

const enqueueTargets = { minRatio: 0.6, maxP99Ms: 25 } as const;

/**
 * Scenario 1: accepting jobs over HTTP. Gantry's `POST /v1/jobs/{type}` (API key, validation,
 * Idempotency-Key, job state + record) against one BullMQ `queue.add` behind a bare Express route.
 * No worker takes jobs (Gantry's is paused, only announcing the type), so each queue just fills.
 */
export async function enqueueScenario(run: BenchRun, options?: Partial<EnqueueOptions>): Promise<Section> {
  const o: EnqueueOptions = {
    connections: 64,
    durationS: run.scale(10, 3),
    warmupS: run.scale(2, 1),
    pacedRate: run.scale(500, 300),
    pacedPasses: run.scale(3, 1),
    ...options,
  };
  const body = JSON.stringify({ input: { n: 1 } });
  const headers = { 'content-type': 'application/json', 'idempotency-key': 'bench-[<id>]' };
  const measure = async (
    url: string,
    authorization: string | null,
    stats: () => Promise<ProcessStats>,
    settled: () => Promise<void>,
  ) => {
    const load = (durationS: number) =>
      httpLoad({
        url,
        paths: [`/v1/jobs/${BenchNoop.type}`],
        method: 'POST',
        headers: authorization ? { ...headers, authorization } : headers,
        body,
        connections: o.connections,
        durationS,
        uniqueIds: true,
      });
    const idle = await stats();
    await load(o.warmupS);
    const sampler = peakSampler(async () => (await stats()).rss);
    const before = { server: await stats(), redis: await redisCpuMs(run.env.REDIS_URL) };
    const measured = await load(o.durationS);
    const after = { server: await stats(), redis: await redisCpuMs(run.env.REDIS_URL) };
    const peakRss = await sampler.stop();
    await settled();
    const beforePaced = await stats();
    const paced: PacedLoadResult[] = [];
    for (let pass = 0; pass < o.pacedPasses; pass += 1) {
      paced.push(
        await pacedLoad({
          url: `${url}/v1/jobs/${BenchNoop.type}`,
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
          body,
          idempotencyKeys: true,
          ratePerSecond: o.pacedRate,
          durationS: o.durationS,
        }),
      );
      // Each pass starts from the steady state too.
      await settled();
    }
    const afterPaced = await stats();
    return {
      load: measured,
      paced,
      idleRss: idle.rss,
      peakRss,
      serverCpuMs: (after.server.cpuMs - before.server.cpuMs) / measured.ok,
      redisCpuMs: (after.redis - before.redis) / measured.ok,
      scavengeUs: {
        load: ((after.server.scavengeMs - before.server.scavengeMs) * 1_000) / measured.ok,
        paced:
          ((afterPaced.scavengeMs - beforePaced.scavengeMs) * 1_000) /
          paced.reduce((total, pass) => total + pass.ok, 0),
      },
    } satisfies Measured;
  };

  const gantry = await GantryStack.start(run, 'enqueue', [
    { app: 'bench-worker', module: benchFile('bench-worker'), concurrency: 1, paused: true },
  ]);
  let g: Measured;
  try {
    await gantry.waitForTypes([BenchNoop.type]);
    g = await measure(
      gantry.url,
      gantry.authorization,
      () => gantry.gatewayStats(),
      () => gantry.recorderCaughtUp(),
    );
  } finally {
    await gantry.close();
  }
  const bare = await BareStack.start(run, 'enqueue-bare', null);
  let b: Measured;
  try {
    b = await measure(
      bare.url,
      null,
      () => bare.server.stats(),
      () => Promise.resolve(),
    );
  } finally {
    await bare.close();
  }

  const ratio = g.load.perSecond / b.load.perSecond;
  const gPacedP99 = g.paced.map((pass) => pass.p99Ms);
  const senderStall = (m: Measured) => num(Math.max(...m.paced.map((pass) => pass.senderDelayMaxMs)), 1);
  const row = (name: string, m: Measured) => [
    name,
    num(m.load.perSecond, 0),
    num(m.load.p50Ms),
    num(m.load.p99Ms),
    String(m.load.failed),
    `${mib(m.idleRss)} → ${mib(m.peakRss)}`,
    num(m.serverCpuMs, 3),
    num(m.redisCpuMs, 3),
    `${num(m.scavengeUs.load, 0)} / ${num(m.scavengeUs.paced, 0)}`,
    spread(
      m.paced.map((pass) => pass.p50Ms),
      (value) => num(value),
    ),
    spread(
      m.paced.map((pass) => pass.p99Ms),
      (value) => num(value),
    ),
  ];
  return {
    title: `1. Enqueue over HTTP (${o.connections} connections, ${o.durationS} s each)`,
    lines: [
      ...markdownTable(
        [
          'server',
          'req/s',
          'p50 ms',
          'p99 ms',
          'errors',
          'server RSS idle → peak',
          'server CPU ms/req',
          'Redis CPU ms/req',
          `server scavenge pause µs/req, flat out / at ${o.pacedRate} req/s`,
          `p50 ms at ${o.pacedRate} req/s`,
          `p99 ms at ${o.pacedRate} req/s`,
        ],
        [row('Gantry gateway `POST /v1/jobs/bench.noop`', g), row('bare Express + `queue.add`', b)],
      ),
      '',
      ...markdownTable(
        ['target', 'measured', 'result'],
        [
          [
            `Gantry ≥ ${percent(enqueueTargets.minRatio)} of bare req/s`,
            percent(ratio),
            verdict(ratio >= enqueueTargets.minRatio),
          ],
          [
            `Gantry p99 < ${enqueueTargets.maxP99Ms} ms at ${o.connections} connections`,
            `${num(g.load.p99Ms)} ms`,
            verdict(g.load.p99Ms < enqueueTargets.maxP99Ms),
          ],
          [
            `Gantry p99 < ${enqueueTargets.maxP99Ms} ms at an even ${o.pacedRate} req/s`,
            `${spread(gPacedP99, (value) => num(value))} ms`,
            verdict(median(gPacedP99) < enqueueTargets.maxP99Ms),
          ],
        ],
      ),
      '',
      'Both get the same request (JSON body, a unique `Idempotency-Key` each); the bare server ignores what it does not use. ' +
        `After ${o.warmupS} s of warm-up. Gantry's worker is paused (it only announces the type), the bare side has none: both queues just fill. ` +
        `At ${o.connections} connections each server runs flat out, so latency there is mostly waiting in line ` +
        `(by Little's law, mean latency ≈ connections ÷ throughput); the even-rate columns (open loop, ${o.durationS} s) show the latency of one request, ` +
        "measured once Gantry's recorder has written the flat-out pass's jobs to PostgreSQL (the steady state, not the catch-up), " +
        `${o.pacedPasses} passes per server, median (range), from a sender process of its own (its longest stall: ${senderStall(g)} ms beside Gantry, ${senderStall(b)} ms beside bare). ` +
        'CPU per request is the server process and the Redis server over the flat-out measurement (Redis is shared: other clients count too). ' +
        "Scavenge pauses are the server process's young-generation collections (a `gc` performance observer), which stop its only thread: per request, flat out and at the even rate.",
    ],
  };
}
