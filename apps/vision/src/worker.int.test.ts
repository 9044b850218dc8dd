import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { createControlClient, type ControlClient } from '@gantry/control-plane';
import type { WorkerAnnouncement } from '@gantry/contracts';
import { deletePrefix } from '@gantry/job-store/testing';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

// The vision worker app itself (main.ts: env → runWorker → engine processes with the real
// YOLOX-Nano on onnxruntime-node), on the real Redis, announcing over the real control plane.
// onnxruntime-node here has no CUDA files, so WORKER_DEVICE=gpu meets a missing provider for real.
const repoRoot = path.resolve(import.meta.dirname, '../../..');
const modelsDir = process.env['MODELS_DIR'] ?? path.resolve(repoRoot, '../shared/models');
const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const prefix = `t-vision-device-${process.pid}`;
const fallbackMessage = 'WORKER_DEVICE=gpu, but the engines run on the CPU';

interface Started {
  child: ChildProcess;
  pid: number;
  lines: Record<string, unknown>[];
  stderr: string[];
}

let control: ControlClient;
const running: ChildProcess[] = [];

function startVision(env: Record<string, string>): Started {
  const child = spawn(
    process.execPath,
    ['--conditions=@gantry/source', '--import', 'tsx', path.join(import.meta.dirname, 'main.ts')],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        REDIS_URL: redisUrl,
        GANTRY_PREFIX: prefix,
        MODELS_DIR: modelsDir,
        WORKER_CONCURRENCY: '1',
        WORKER_HEARTBEAT_MS: '300',
        LOG_LEVEL: 'info',
        ORT_DISABLE_TELEMETRY: '1',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  running.push(child);
  const { stdout, stderr, pid } = child;
  if (!stdout || !stderr || pid === undefined) throw new Error('the vision worker did not start');
  const started: Started = { child, pid, lines: [], stderr: [] };
  createInterface({ input: stdout }).on('line', (line) => {
    try {
      started.lines.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      started.lines.push({ msg: line });
    }
  });
  createInterface({ input: stderr }).on('line', (line) => started.stderr.push(line));
  return started;
}

async function announcement(pid: number, state: WorkerAnnouncement['state']): Promise<WorkerAnnouncement> {
  const deadline = Date.now() + 140_000;
  for (;;) {
    const found = (await control.listWorkers({ queue: 'vision' })).find((worker) => worker.pid === pid);
    if (found?.state === state) return found;
    if (Date.now() > deadline) throw new Error(`no ${state} announcement; last: ${JSON.stringify(found)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

beforeAll(async () => {
  control = await createControlClient({ redisUrl, prefix });
});
afterEach(async () => {
  for (const child of running.splice(0)) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
});
afterAll(async () => {
  await control.close();
  // The workers leave BullMQ's queue keys behind (its `meta`, written as a worker starts).
  const redis = new Redis(redisUrl);
  await deletePrefix(redis, prefix);
  await redis.quit();
});

describe('vision worker on WORKER_DEVICE=gpu without CUDA', () => {
  it('falls back to the CPU with one log line and announces the cpu it really runs on', async () => {
    const vision = startVision({ WORKER_DEVICE: 'gpu', WORKER_CONCURRENCY: '2' }); // two engines, one line
    const announced = await announcement(vision.pid, 'ready');
    expect(announced.device).toBe('cpu');

    const fallbacks = vision.lines.filter((line) => line['msg'] === fallbackMessage);
    expect(fallbacks).toHaveLength(1);
    expect(fallbacks[0]).toMatchObject({
      level: 'warn',
      requested: 'gpu',
      device: 'cpu',
      reason: expect.stringMatching(/CUDA execution provider is unavailable/),
    });
    // onnxruntime's own error print for the missing provider is kept out of the logs.
    expect(vision.stderr.join('\n')).not.toMatch(/onnxruntime/);
  }, 150_000);

  it('refuses to run on the CPU with WORKER_DEVICE_STRICT=true: not ready, saying why', async () => {
    const vision = startVision({ WORKER_DEVICE: 'gpu', WORKER_DEVICE_STRICT: 'true' });
    const announced = await announcement(vision.pid, 'not_ready');
    expect(announced.state_reason).toMatch(
      /^MODEL_UNAVAILABLE: WORKER_DEVICE=gpu and WORKER_DEVICE_STRICT=true.*CUDA execution provider is unavailable/,
    );
    expect(announced.busy).toBe(0);
    expect(vision.lines.filter((line) => line['msg'] === fallbackMessage)).toHaveLength(0);
  }, 150_000);
});
