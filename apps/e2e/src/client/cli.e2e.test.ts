import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineStack, fixturesDir } from '../engines/engine-stack.js';
import { startClientStack } from './client-stack.js';
import { completeInBash } from './complete-in-bash.js';
import { cliMain, runBash, runCli } from './run-cli.js';

let stack: EngineStack;
let env: Record<string, string>;
let dir: string;

beforeAll(async () => {
  stack = await startClientStack('cli', { llm: false });
  env = { GANTRY_URL: stack.gateway.url, GANTRY_API_KEY: stack.key };
  dir = await mkdtemp(path.join(tmpdir(), 'gantry-cli-'));
}, 180_000);
afterAll(async () => {
  await stack?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

// The tests that start eight CLI processes at once get 2 minutes: each is a Node start, slow on a
// machine whose two cores the rest of the test run shares.
describe('gantry CLI on a running stack (exit codes)', () => {
  it('runs a job with --wait: plain progress lines off a TTY, the output on stdout, exit 0', async () => {
    const run = await runCli(['run', 'test.sleep', '--input', '{"ms":400}', '--wait'], env);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('test.sleep 25% step 1');
    expect(run.stderr).toContain('test.sleep 100% step 4');
    expect(JSON.parse(run.stdout)).toMatchObject({ slept_ms: 400 });
  });

  it('uploads a file, takes --input @file.json, and --json prints the final job object', async () => {
    const inputFile = path.join(dir, 'input.json');
    await writeFile(inputFile, '{"note":"from a file"}');
    const image = path.join(fixturesDir, 'images', 'dog.jpg');
    const run = await runCli(
      ['run', 'test.checksum', image, '--input', `@${inputFile}`, '--wait', '--json'],
      env,
    );
    expect(run.code).toBe(0);
    const job = JSON.parse(run.stdout);
    expect(job).toMatchObject({ status: 'succeeded', input: { note: 'from a file' } });
    expect(job.output.sha256).toBe(
      createHash('sha256')
        .update(await readFile(image))
        .digest('hex'),
    );
  });

  it('exits 1 for a job that failed (printing it with --json), 3 for a refusal, 2 for bad usage', async () => {
    const failed = await runCli(
      ['run', 'test.flaky', '--input', '{"code":"VALIDATION_FAILED"}', '--wait', '--json'],
      env,
    );
    expect(failed.code).toBe(1);
    expect(JSON.parse(failed.stdout)).toMatchObject({
      status: 'failed',
      error: { code: 'VALIDATION_FAILED' },
    });

    // Independent refusals and usage errors run side by side: each is a process start.
    const [unknown, badInput, missing, badKey, notJson, notObject, noFile, noCommand] = await Promise.all([
      runCli(['run', 'no.such-type', '--input', '{}'], env),
      runCli(['run', 'test.sleep', '--input', '{"ms":-1}'], env),
      runCli(['jobs', 'get', 'missing'], env),
      runCli(['types'], { GANTRY_URL: stack.gateway.url, GANTRY_API_KEY: 'gk_wrong' }),
      runCli(['run', 'test.sleep', '--input', '{not json'], env),
      runCli(['run', 'test.sleep', '--input', '[1]'], env),
      runCli(['run', 'test.checksum', path.join(dir, 'absent.png')], env),
      runCli(['frobnicate'], env),
    ]);
    expect(unknown.stderr).toContain('UNKNOWN_JOB_TYPE');
    expect([unknown, badInput, missing, badKey].map((r) => r.code)).toEqual([3, 3, 3, 3]);
    expect([notJson, notObject, noFile, noCommand].map((r) => r.code)).toEqual([2, 2, 2, 2]);
  }, 120_000);

  it('exits 5 when --timeout passes first, and 4 when the gateway cannot be reached', async () => {
    const [slow, unreachable] = await Promise.all([
      runCli(['run', 'test.sleep', '--input', '{"ms":5000}', '--wait', '--timeout', '1'], env),
      runCli(['types', '--url', 'http://127.0.0.1:9'], env),
    ]);
    expect([slow.code, unreachable.code]).toEqual([5, 4]);
  });

  it('cancels, gets, lists and follows jobs', async () => {
    const id = (await runCli(['run', 'test.sleep', '--input', '{"ms":60000}'], env)).stdout.trim();
    expect(id).toMatch(/\S+/);
    // Canceled first, while it surely still runs; the reads after it find it ended.
    const cancel = await runCli(['jobs', 'cancel', id], env);
    expect(cancel).toMatchObject({ code: 0, stdout: `${id} canceled\n` });
    const [again, got, listed, table, events] = await Promise.all([
      runCli(['jobs', 'cancel', id], env),
      runCli(['jobs', 'get', id], env),
      runCli(['jobs', 'list', '--type', 'test.sleep', '--json'], env),
      runCli(['jobs', 'list', '--limit', '100'], env),
      runCli(['jobs', 'events', id, '--json'], env),
    ]);
    expect(again.code).toBe(3);
    expect(JSON.parse(got.stdout)).toMatchObject({ id, type: 'test.sleep', status: 'canceled' });
    expect(JSON.parse(listed.stdout).data.map((job: { id: string }) => job.id)).toContain(id);
    expect(table.stdout.split('\n')[0]).toMatch(/^ID\s+TYPE\s+STATUS/);
    expect(events.code).toBe(0);
    expect(JSON.parse(events.stdout.trim().split('\n').at(-1) ?? '')).toMatchObject({
      event: 'completed',
      data: { status: 'canceled' },
    });
  }, 120_000);

  it('stops quietly when the reader of its output goes away early (`| head`), as other Unix tools do', async () => {
    // `true` exits at once, reading nothing: the CLI's first write (after a Node start and a request)
    // meets a closed pipe. bash prints the CLI's own exit code.
    const piped = (line: string) => runBash(`${line}; echo "exit \${PIPESTATUS[0]}"`, [], env);
    const [table, progress] = await Promise.all([
      piped('gantry jobs list --all | true'),
      // Only stderr (the progress lines) closed: the job's output and exit code still count.
      piped(`gantry run test.sleep --input '{"ms":400}' --wait 2>&1 >/dev/null | true`),
    ]);
    expect(table).toEqual({ stdout: 'exit 0\n', stderr: '' });
    expect(progress).toEqual({ stdout: 'exit 0\n', stderr: '' });
  });

  it('runs a pipeline from a definition file, follows, gets and cancels runs, and exits 1 for a failed run', async () => {
    const definition = path.join(dir, 'pipeline.json');
    await writeFile(
      definition,
      JSON.stringify({
        steps: [
          { id: 'first', type: 'test.sleep', input: { ms: '$input.ms' } },
          { id: 'then', type: 'test.sleep', input: { ms: '$steps.first.output.slept_ms' } },
        ],
        output: { slept: '$steps.then.output.slept_ms' },
      }),
    );
    const failing = path.join(dir, 'failing.json');
    await writeFile(
      failing,
      JSON.stringify({ steps: [{ id: 'boom', type: 'test.flaky', input: { code: 'VALIDATION_FAILED' } }] }),
    );
    const [ran, failed, refused, unknownName, absent] = await Promise.all([
      runCli(['pipelines', 'run', `@${definition}`, '--input', '{"ms":200}', '--wait'], env),
      runCli(['pipelines', 'run', `@${failing}`, '--wait', '--json'], env),
      // The first step cannot take the input: refused at the request, no run.
      runCli(['pipelines', 'run', `@${definition}`, '--input', '{"ms":"soon"}'], env),
      runCli(['pipelines', 'run', 'no-such-pipeline'], env),
      runCli(['pipelines', 'run', `@${path.join(dir, 'input.json')}x`], env),
    ]);
    expect([ran.code, JSON.parse(ran.stdout)]).toEqual([0, { slept: 200 }]);
    expect(ran.stderr).toContain('pipeline 100%');
    expect(failed.code).toBe(1);
    expect(JSON.parse(failed.stdout)).toMatchObject({
      status: 'failed',
      steps: [{ id: 'boom', status: 'failed', error: { code: 'VALIDATION_FAILED' } }],
    });
    expect([refused.code, refused.stderr]).toEqual([
      3,
      expect.stringContaining('PIPELINE_STEP_INPUT_INVALID'),
    ]);
    expect([unknownName.code, unknownName.stderr]).toEqual([
      3,
      expect.stringContaining('PIPELINE_NOT_FOUND'),
    ]);
    expect(absent.code).toBe(2);

    const id = (
      await runCli(['pipelines', 'run', `@${definition}`, '--input', '{"ms":60000}'], env)
    ).stdout.trim();
    expect(await runCli(['pipelines', 'cancel', id], env)).toMatchObject({
      code: 0,
      stdout: `${id} canceled\n`,
    });
    const [got, again] = await Promise.all([
      runCli(['pipelines', 'get', id], env),
      runCli(['pipelines', 'cancel', id], env),
    ]);
    expect(got.stdout.split('\n').slice(0, 2)).toEqual([
      expect.stringMatching(new RegExp(`^${id} canceled \\d+%$`)),
      expect.stringMatching(/^STEP\s+TYPE\s+STATUS\s+ERROR$/),
    ]);
    expect(got.stdout).toMatch(/\nthen\s+test\.sleep\s+skipped/);
    expect(again.code).toBe(3);
  }, 120_000);

  it('shows types and workers, pauses and resumes a queue, and reads a profile file', async () => {
    const [types, workers] = await Promise.all([
      runCli(['types'], env),
      runCli(['workers', '--queue', 'runtime-test'], env),
    ]);
    expect(types.stdout).toMatch(/llm\.sentiment\s+llm\s+built-in/);
    expect(types.stdout).toMatch(/test\.sleep\s+runtime-test\s+announced/);
    expect(workers.stdout).toMatch(/runtime-test\s+ready\s+\d\/2/);
    expect(await runCli(['queues', 'pause', 'runtime-test'], env)).toMatchObject({ code: 0 });
    expect(await runCli(['queues', 'resume', 'runtime-test'], env)).toMatchObject({ code: 0 });

    const config = path.join(dir, 'config.json');
    await writeFile(
      config,
      JSON.stringify({ profiles: { stack: { url: stack.gateway.url, api_key: stack.key } } }),
    );
    const [viaProfile, noProfile] = await Promise.all([
      runCli(['types', '--profile', 'stack'], { GANTRY_CONFIG: config }),
      runCli(['types', '--profile', 'other'], { GANTRY_CONFIG: config }),
    ]);
    expect([viaProfile.code, noProfile.code]).toEqual([0, 2]);
  });

  it('lists, pauses, resumes and deletes schedules', async () => {
    const created = await stack.client.request<{ id: string }>('/v1/schedules', {
      method: 'POST',
      body: JSON.stringify({
        name: 'cli hourly',
        every: 3600,
        target: { type: 'test.sleep', input: { ms: 1 } },
      }),
    });
    expect(created.status).toBe(201);
    const { id } = created.body;
    const list = await runCli(['schedules', 'list'], env);
    expect(list.stdout.split('\n')[0]).toMatch(/^ID\s+NAME\s+WHEN\s+TARGET\s+STATE\s+NEXT RUN/);
    expect(list.stdout).toMatch(new RegExp(`${id}\\s+cli hourly\\s+every 3600s\\s+test\\.sleep\\s+active`));
    expect(await runCli(['schedules', 'pause', id], env)).toMatchObject({
      code: 0,
      stdout: `${id} paused\n`,
    });
    const resumed = await runCli(['schedules', 'resume', id, '--json'], env);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ id, paused: false });
    expect(await runCli(['schedules', 'delete', id], env)).toMatchObject({
      code: 0,
      stdout: `${id} deleted\n`,
    });
    const again = await runCli(['schedules', 'delete', id], env);
    expect([again.code, again.stderr]).toEqual([3, expect.stringContaining('SCHEDULE_NOT_FOUND')]);
  }, 120_000);

  it('prints a bash completion script that completes job types and queues from the gateway, announced ones included', async () => {
    const printed = await runCli(['completion'], {});
    expect(printed.code).toBe(0);
    expect(printed.stdout).toContain(
      'complete -o bashdefault -o default -F _gantry_yargs_completions gantry',
    );
    const script = path.join(dir, 'completion.sh');
    await writeFile(script, printed.stdout);
    const tab = (...words: string[]) => completeInBash(script, words, env);
    const [types, sleepy, queues, commands, options] = await Promise.all([
      tab('run', ''),
      tab('run', 'test.sl'),
      tab('queues', 'pause', ''),
      tab('jobs', ''),
      tab('run', '--wa'),
    ]);
    expect(types).toEqual(expect.arrayContaining(['llm.sentiment', 'test.sleep']));
    expect(sleepy).toEqual(['test.sleep']);
    expect(queues).toEqual(expect.arrayContaining(['llm', 'runtime-test']));
    expect(commands).toEqual(expect.arrayContaining(['list', 'get', 'cancel', 'events']));
    expect(options).toEqual(['--wait']);
    // A gateway that cannot be reached completes nothing, at once, rather than hang the shell.
    const offline = await completeInBash(script, ['run', ''], { ...env, GANTRY_URL: 'http://127.0.0.1:9' });
    expect(offline).toEqual([]);
  });
});

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
if (!hasTmux) console.warn('tmux is not installed (apt-get install tmux): skipping the CLI terminal test');

describe.skipIf(!hasTmux)('gantry in a real terminal (tmux)', () => {
  const socket = `gantry-cli-${process.pid}`;
  const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });

  afterAll(() => {
    spawnSync('tmux', ['-L', socket, 'kill-server']);
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
