// Real files and a real (closed) port: copies from the team's shared models, and a download that
// cannot reach its host, as on a machine without internet.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fetchModelAssets, offlineHint } from './fetch-model-assets.js';
import { modelManifest } from './model-manifest.js';
import { testAssetManifest } from './test-asset-manifest.js';

const shared = path.resolve(import.meta.dirname, '../../../../shared');
const sharedModels = path.join(shared, 'models');
const folders: string[] = [];
const folder = async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'gantry-models-'));
  folders.push(dir);
  return dir;
};

afterEach(async () => {
  for (const dir of folders.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('fetchModelAssets', () => {
  it('copies every pinned file from a folder with --from, then finds them in place', async () => {
    const modelsDir = await folder();
    const lines: string[] = [];
    expect(
      await fetchModelAssets(modelManifest, { modelsDir, from: sharedModels, log: (l) => lines.push(l) }),
    ).toBe(true);
    expect(lines.filter((line) => line.startsWith('copied'))).toHaveLength(
      modelManifest.filter((asset) => 'url' in asset.source).length,
    );
    expect(lines.filter((line) => /^(copied|written)/.test(line))).toHaveLength(modelManifest.length);
    const again: string[] = [];
    expect(await fetchModelAssets(modelManifest, { modelsDir, log: (l) => again.push(l) })).toBe(true);
    expect(again.filter((line) => line.startsWith('ok'))).toHaveLength(modelManifest.length);
  });

  it('lays out the models and the public test files as ../shared is, every pinned sha256 matching', async () => {
    const sharedDir = await folder();
    const lines: string[] = [];
    expect(
      await fetchModelAssets(testAssetManifest, {
        modelsDir: sharedDir,
        from: shared,
        log: (l) => lines.push(l),
      }),
    ).toBe(true);
    await expect(readFile(path.join(sharedDir, 'fixtures/images/dog.jpg'))).resolves.toHaveLength(163_759);
    await expect(
      readFile(path.join(sharedDir, 'models/yolox-nano/coco-labels.txt'), 'utf8'),
    ).resolves.toMatch(/^person\n/);
  });

  it('refuses a copy whose bytes differ from the pinned ones', async () => {
    const [from, modelsDir] = [await folder(), await folder()];
    const asset = { path: 'model.onnx', sha256: 'a'.repeat(64), source: { url: 'http://127.0.0.1:1/' } };
    await writeFile(path.join(from, 'model.onnx'), 'not the model');
    const lines: string[] = [];
    expect(await fetchModelAssets([asset], { modelsDir, from, log: (l) => lines.push(l) })).toBe(false);
    expect(lines.join('\n')).toContain('is not the pinned');
    await expect(readFile(path.join(modelsDir, 'model.onnx'))).rejects.toThrow();
  });

  it('says how to work offline when the host cannot be reached', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    await new Promise((resolve) => server.close(resolve));
    if (address === null || typeof address === 'string') throw new Error('no port');
    const asset = {
      path: 'model.onnx',
      sha256: 'a'.repeat(64),
      source: { url: `http://127.0.0.1:${address.port}/model.onnx` },
    };
    const lines: string[] = [];
    expect(await fetchModelAssets([asset], { modelsDir: await folder(), log: (l) => lines.push(l) })).toBe(
      false,
    );
    expect(lines).toContain(offlineHint);
    expect(lines.join('\n')).toContain('could not be reached');
  });
});
