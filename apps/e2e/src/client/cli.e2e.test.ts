import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineStack, fixturesDir } from '../engines/engine-stack.js';
import { startClientStack } from './client-stack.js';
import { runCli } from './run-cli.js';

let stack: EngineStack;
let env: Record<string, string>;
let dir: string;

beforeAll(async () => {
  stack = await startClientStack('cli');
  env = { GANTRY_URL: stack.gateway.url, GANTRY_API_KEY: stack.key };
  dir = await mkdtemp(path.join(tmpdir(), 'gantry-cli-'));
}, 120_000);
afterAll(async () => {
  await stack?.close();
  await rm(dir, { recursive: true, force: true });
});

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

    const unknown = await runCli(['run', 'no.such-type', '--input', '{}'], env);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain('UNKNOWN_JOB_TYPE');
    expect((await runCli(['run', 'test.sleep', '--input', '{"ms":-1}'], env)).code).toBe(3);
    expect((await runCli(['jobs', 'get', 'missing'], env)).code).toBe(3);
    expect(
      (await runCli(['types'], { GANTRY_URL: stack.gateway.url, GANTRY_API_KEY: 'gk_wrong' })).code,
    ).toBe(3);

    expect((await runCli(['run', 'test.sleep', '--input', '{not json'], env)).code).toBe(2);
    expect((await runCli(['run', 'test.sleep', '--input', '[1]'], env)).code).toBe(2);
    expect((await runCli(['run', 'test.checksum', path.join(dir, 'absent.png')], env)).code).toBe(2);
    expect((await runCli(['frobnicate'], env)).code).toBe(2);
  });

  it('exits 5 when --timeout passes first, and 4 when the gateway cannot be reached', async () => {
    const slow = await runCli(
      ['run', 'test.sleep', '--input', '{"ms":5000}', '--wait', '--timeout', '1'],
      env,
    );
    expect(slow.code).toBe(5);
    expect((await runCli(['types', '--url', 'http://127.0.0.1:9'], env)).code).toBe(4);
  });

  it('lists, gets, follows and cancels jobs', async () => {
    const id = (await runCli(['run', 'test.sleep', '--input', '{"ms":20000}'], env)).stdout.trim();
    expect(id).toMatch(/\S+/);
    expect(JSON.parse((await runCli(['jobs', 'get', id], env)).stdout)).toMatchObject({
      id,
      type: 'test.sleep',
    });
    const listed = JSON.parse((await runCli(['jobs', 'list', '--type', 'test.sleep', '--json'], env)).stdout);
    expect(listed.data.map((job: { id: string }) => job.id)).toContain(id);
    const table = await runCli(['jobs', 'list', '--limit', '100'], env);
    expect(table.stdout.split('\n')[0]).toMatch(/^ID\s+TYPE\s+STATUS/);
    const cancel = await runCli(['jobs', 'cancel', id], env);
    expect(cancel).toMatchObject({ code: 0, stdout: `${id} canceled\n` });
    expect((await runCli(['jobs', 'cancel', id], env)).code).toBe(3);
    const events = await runCli(['jobs', 'events', id, '--json'], env);
    expect(events.code).toBe(0);
    expect(JSON.parse(events.stdout.trim().split('\n').at(-1) ?? '')).toMatchObject({
      event: 'completed',
      data: { status: 'canceled' },
    });
  });

  it('shows types and workers, pauses and resumes a queue, and reads a profile file', async () => {
    const types = await runCli(['types'], env);
    expect(types.stdout).toMatch(/llm\.sentiment\s+llm\s+built-in/);
    expect(types.stdout).toMatch(/test\.sleep\s+runtime-test\s+announced/);
    expect((await runCli(['workers', '--queue', 'llm'], env)).stdout).toMatch(/llm\s+ready\s+0\/1/);
    expect(await runCli(['queues', 'pause', 'runtime-test'], env)).toMatchObject({ code: 0 });
    expect(await runCli(['queues', 'resume', 'runtime-test'], env)).toMatchObject({ code: 0 });

    const config = path.join(dir, 'config.json');
    await writeFile(
      config,
      JSON.stringify({ profiles: { stack: { url: stack.gateway.url, api_key: stack.key } } }),
    );
    const viaProfile = await runCli(['types', '--profile', 'stack'], { GANTRY_CONFIG: config });
    expect(viaProfile.code).toBe(0);
    expect((await runCli(['types', '--profile', 'other'], { GANTRY_CONFIG: config })).code).toBe(2);
  });

  it('prints a shell completion script', async () => {
    const completion = await runCli(['completion'], {});
    expect(completion.code).toBe(0);
    expect(completion.stdout).toContain(
      'complete -o bashdefault -o default -F _gantry_yargs_completions gantry',
    );
  });
});
