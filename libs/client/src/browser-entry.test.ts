import path from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const entry = (name: string) => path.join(import.meta.dirname, name);

describe('the browser entry', () => {
  it('bundles for a browser with no Node module in it', async () => {
    const result = await build({
      entryPoints: [entry('browser.ts')],
      bundle: true,
      write: false,
      platform: 'browser',
      format: 'esm',
      logLevel: 'silent',
      conditions: ['@gantry/source'],
      metafile: true,
    });
    expect(result.errors).toEqual([]);
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((input) => input.startsWith('node:'))).toEqual([]);
    expect(inputs.some((input) => input.endsWith('gantry-client.ts'))).toBe(true);
  });

  it('is what a browser bundler picks from package.json', async () => {
    const result = await build({
      stdin: { contents: "export { GantryClient } from '@gantry/client';", resolveDir: import.meta.dirname },
      bundle: true,
      write: false,
      platform: 'browser',
      format: 'esm',
      logLevel: 'silent',
      conditions: ['@gantry/source'],
      metafile: true,
    });
    expect(Object.keys(result.metafile.inputs).some((input) => input.endsWith('browser.ts'))).toBe(true);
  });

  it('fails to bundle the Node entry for a browser, so the check can see a Node import', async () => {
    await expect(
      build({
        entryPoints: [entry('index.ts')],
        bundle: true,
        write: false,
        platform: 'browser',
        logLevel: 'silent',
        conditions: ['@gantry/source'],
      }),
    ).rejects.toThrow(/node:fs/);
  });
});
