import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineStack } from '../engines/engine-stack.js';
import { startClientStack } from './client-stack.js';
import { cliMain } from './run-cli.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
if (!hasTmux) console.warn('tmux is not installed (apt-get install tmux): skipping the CLI terminal test');

describe.skipIf(!hasTmux)('gantry in a real terminal (tmux)', () => {
  let stack: EngineStack;
  let dir: string;
  const socket = `gantry-cli-${process.pid}`;
  const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });

  beforeAll(async () => {
    stack = await startClientStack('cli_tty');
    dir = await mkdtemp(path.join(tmpdir(), 'gantry-tty-'));
  }, 120_000);
  afterAll(async () => {
    spawnSync('tmux', ['-L', socket, 'kill-server']);
    await stack?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('draws a progress bar while the job runs, then prints the output and exits 0', async () => {
    const script = path.join(dir, 'run.sh');
    await writeFile(
      script,
      [
        `export GANTRY_URL='${stack.gateway.url}' GANTRY_API_KEY='${stack.key}'`,
        `'${process.execPath}' '${cliMain}' run test.sleep --input '{"ms":3000}' --wait`,
        'echo "EXIT=$?"',
        'sleep 60',
      ].join('\n'),
    );
    tmux('new-session', '-d', '-s', 'run', '-x', '100', '-y', '20', `bash ${script}`);
    const frames: string[] = [];
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      const frame = tmux('capture-pane', '-p', '-t', 'run');
      frames.push(frame);
      if (frame.includes('EXIT=')) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const last = frames.at(-1) ?? '';
    expect(last).toContain('EXIT=0');
    expect(last).toContain('"slept_ms": 3000');
    // The bar redraws in place: a frame mid-run shows it part-filled, and it ends full on one line.
    expect(frames.some((frame) => /test\.sleep \|[█░]+\| (25|50|75)% step [123]/.test(frame))).toBe(true);
    expect(last).toMatch(/test\.sleep \|█+\| 100% step 4/);
    expect(last.match(/test\.sleep \|/g)).toHaveLength(1);
  });
});
