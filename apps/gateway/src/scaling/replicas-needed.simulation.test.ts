import { describe, expect, it } from 'vitest';
import { type QueueLoad, replicasNeeded } from './replicas-needed.js';

// A queue driven through 30 minutes of bursty arrivals, one-second steps, with the replica counts that
// `replicasNeeded` asks for applied the way KEDA and Kubernetes apply them: read every 5 s, new pods ready
// 10 s later (image pull and model load), scale-down held for 120 s. Every job carries a priority, as
// Gantry's do (BullMQ's prioritized set), and 5 % of attempts fail and come back after a 5 s backoff
// (BullMQ's delayed set). The arrivals come from a seeded generator, so every run replays the same trace.
const targetWaitSeconds = 30;
const slotsPerReplica = 2;
const podStartSeconds = 10;
const pollSeconds = 5;
const scaleDownWindowSeconds = 120;
const maxReplicas = 60;

interface Job {
  arrivedAt: number;
  priority: number;
  serviceSeconds: number;
  startedAt?: number;
}

/** mulberry32: a small seeded generator, so the trace is the same on every run. */
function seeded(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Arrivals per second: a quiet 1/s, with a 90 s burst of 25/s every 6 minutes and one 3-minute surge of 12/s. */
function burstyTrace(seconds: number, random: () => number): number[] {
  const poisson = (mean: number) => {
    let count = 0;
    for (let p = Math.exp(-mean), product = random(); product > p; product *= random()) count += 1;
    return count;
  };
  return Array.from({ length: seconds }, (_, second) => {
    const burst = second % 360 >= 200 && second % 360 < 290;
    const surge = second >= 1_100 && second < 1_280;
    return poisson(burst ? 25 : surge ? 12 : 1);
  });
}

type Signal = (load: QueueLoad & { prioritized: number }, meanServiceSeconds: number) => number;

function simulate(signal: Signal, seed = 42) {
  const random = seeded(seed);
  const trace = burstyTrace(1_800, random);
  const waiting: Job[] = [];
  const delayed: { job: Job; readyAt: number }[] = [];
  const running: { job: Job; endsAt: number }[] = [];
  const recentService: number[] = [];
  const waits: number[] = [];
  const starting: number[] = [];
  let replicas = 1;
  const desiredHistory: { at: number; replicas: number }[] = [];
  const replicaTrace: number[] = [];

  for (let now = 0; now < trace.length + 600; now += 1) {
    for (let i = 0; i < (trace[now] ?? 0); i += 1) {
      // Mostly the default priority, some urgent: all of them land in the prioritized set.
      const priority = random() < 0.2 ? 1 : 5;
      waiting.push({ arrivedAt: now, priority, serviceSeconds: -Math.log(1 - random()) * 2 });
    }
    for (let i = delayed.length - 1; i >= 0; i -= 1) {
      const entry = delayed[i];
      if (entry && entry.readyAt <= now) {
        waiting.push(entry.job);
        delayed.splice(i, 1);
      }
    }
    for (let i = running.length - 1; i >= 0; i -= 1) {
      const entry = running[i];
      if (!entry || entry.endsAt > now) continue;
      running.splice(i, 1);
      recentService.push(entry.job.serviceSeconds);
      if (recentService.length > 200) recentService.shift();
      if (random() < 0.05) delayed.push({ job: entry.job, readyAt: now + 5 });
    }
    while (starting.length > 0 && (starting[0] ?? Infinity) <= now) {
      starting.shift();
      replicas += 1;
    }
    waiting.sort((a, b) => a.priority - b.priority || a.arrivedAt - b.arrivedAt);
    while (running.length < replicas * slotsPerReplica && waiting.length > 0) {
      const job = waiting.shift() as Job;
      if (job.startedAt === undefined) waits.push(now - job.arrivedAt);
      job.startedAt = now;
      running.push({ job, endsAt: now + Math.max(1, Math.round(job.serviceSeconds)) });
    }
    if (now % pollSeconds === 0) {
      const mean = recentService.length ? recentService.reduce((a, b) => a + b, 0) / recentService.length : 1;
      const load = {
        waiting: waiting.length,
        delayed: delayed.length,
        active: running.length,
        prioritized: waiting.length,
      };
      const desired = Math.min(maxReplicas, Math.max(1, signal(load, mean)));
      desiredHistory.push({ at: now, replicas: desired });
      const held = Math.max(
        ...desiredHistory
          .filter((entry) => entry.at > now - scaleDownWindowSeconds)
          .map((entry) => entry.replicas),
      );
      const coming = replicas + starting.length;
      if (desired > coming) for (let i = coming; i < desired; i += 1) starting.push(now + podStartSeconds);
      else if (held < replicas && starting.length === 0) replicas = held;
    }
    replicaTrace.push(replicas);
  }
  const sorted = [...waits].sort((a, b) => a - b);
  const quantile = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return {
    jobs: waits.length,
    arrived: trace.reduce((a, b) => a + b, 0),
    p50: quantile(0.5),
    p99: quantile(0.99),
    max: sorted.at(-1) ?? 0,
    peakReplicas: Math.max(...replicaTrace),
    finalReplicas: replicaTrace.at(-1) ?? 0,
    replicaSeconds: replicaTrace.reduce((a, b) => a + b, 0),
  };
}

describe('replicasNeeded on a bursty arrival trace', () => {
  const gantry: Signal = (load, mean) =>
    replicasNeeded(load, { meanServiceSeconds: mean, slotsPerReplica }, targetWaitSeconds);

  it('keeps the wait under the target through bursts, and gives replicas back after them', () => {
    const result = simulate(gantry);
    expect(result.jobs).toBe(result.arrived);
    expect(result.p99).toBeLessThan(targetWaitSeconds);
    // The first seconds of a burst are served by the replicas already there while new ones start.
    expect(result.max).toBeLessThan(targetWaitSeconds * 1.5);
    expect(result.peakReplicas).toBeGreaterThan(10);
    // Ten quiet minutes after the trace, the queue is back to one replica.
    expect(result.finalReplicas).toBe(1);
    // Far fewer replica-seconds than holding the peak all along.
    expect(result.replicaSeconds).toBeLessThan(result.peakReplicas * 2_400 * 0.5);
  });

  it('holds for other seeds of the same trace shape', () => {
    for (const seed of [1, 7, 2026]) expect(simulate(gantry, seed).p99).toBeLessThan(targetWaitSeconds);
  });

  it('fails the same trace when the signal misses the prioritized set (a Redis list scaler on `wait`)', () => {
    // BullMQ's `wait` list stays empty when every job has a priority: this scaler only sees running jobs.
    const waitList: Signal = (load, mean) =>
      replicasNeeded(
        { ...load, waiting: load.waiting - load.prioritized, delayed: 0 },
        { meanServiceSeconds: mean, slotsPerReplica },
        targetWaitSeconds,
      );
    expect(simulate(waitList).p99).toBeGreaterThan(targetWaitSeconds * 10);
  });
});
