import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCliConfig } from './cli-config.js';
import { UsageError } from './exit-codes.js';
import { readInput } from './read-input.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'gantry-cli-config-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('loadCliConfig', () => {
  it('takes flags over GANTRY_URL/GANTRY_API_KEY over the profile file', async () => {
    const file = path.join(dir, 'config.json');
    await writeFile(
      file,
      JSON.stringify({
        profiles: {
          default: { url: 'http://profile:1', api_key: 'gk_profile' },
          ops: { url: 'http://ops:1', api_key: 'gk_ops' },
        },
      }),
    );
    const env = { GANTRY_CONFIG: file };
    expect(await loadCliConfig({}, env)).toEqual({ url: 'http://profile:1', apiKey: 'gk_profile' });
    expect(await loadCliConfig({}, { ...env, GANTRY_PROFILE: 'ops' })).toEqual({
      url: 'http://ops:1',
      apiKey: 'gk_ops',
    });
    expect(await loadCliConfig({}, { ...env, GANTRY_URL: 'http://env:1', GANTRY_API_KEY: 'gk_env' })).toEqual(
      {
        url: 'http://env:1',
        apiKey: 'gk_env',
      },
    );
    expect(
      await loadCliConfig({ url: 'http://flag:1', apiKey: 'gk_flag' }, { ...env, GANTRY_URL: 'x' }),
    ).toEqual({
      url: 'http://flag:1',
      apiKey: 'gk_flag',
    });
  });

  it('defaults to the local gateway without a profile file, and refuses a named profile it cannot find', async () => {
    const env = { GANTRY_CONFIG: path.join(dir, 'absent.json') };
    expect(await loadCliConfig({}, env)).toEqual({ url: 'http://127.0.0.1:8080', apiKey: undefined });
    await expect(loadCliConfig({ profile: 'ops' }, env)).rejects.toBeInstanceOf(UsageError);
  });

  it.each([
    ['not JSON', '{'],
    ['not a profile file', '{"profiles":{"default":{"url":"not a url"}}}'],
    ['unknown keys', '{"profiles":{},"token":"x"}'],
  ])('refuses a profile file that is %s with a UsageError', async (_what, text) => {
    const file = path.join(dir, `bad-${text.length}.json`);
    await writeFile(file, text);
    await expect(loadCliConfig({}, { GANTRY_CONFIG: file })).rejects.toBeInstanceOf(UsageError);
  });
});

describe('readInput', () => {
  it('reads --input as JSON or from @file', async () => {
    const file = path.join(dir, 'input.json');
    await writeFile(file, '{"languages":["eng"]}');
    expect(await readInput('{"text":"hi"}')).toEqual({ text: 'hi' });
    expect(await readInput(`@${file}`)).toEqual({ languages: ['eng'] });
    expect(await readInput(undefined)).toEqual({});
  });

  it.each(['{oops', '[1,2]', 'null', '"text"', '@/nonexistent/input.json'])(
    'refuses %j with a UsageError',
    async (value) => {
      await expect(readInput(value)).rejects.toBeInstanceOf(UsageError);
    },
  );
});
