import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { GantryError } from '@gantry/contracts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ManifestDraft } from './model-manifest.js';
import { createModelRegistry, type ModelRegistry } from './model-registry.js';

// Real: a registry directory on disk.
let dir: string;
let registry: ModelRegistry;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'model-registry-'));
  registry = createModelRegistry(dir);
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const draft: ManifestDraft = {
  name: 'fraud',
  kind: 'fraud-logistic',
  input: { features: [{ name: 'amount', type: 'number' }] },
  output: { tensors: {} },
  metrics: {},
};
const code = (error: unknown) => (error as GantryError).code;

describe('model registry', () => {
  it('numbers versions, promotes the first, and keeps each one with its checksum', async () => {
    const published = await Promise.all(
      [1, 2, 3].map((n) => registry.publish(draft, new Uint8Array([n]), 'onnx')),
    );
    expect(published.map((m) => m.version).sort()).toEqual(['1', '2', '3']);
    const { promoted, versions } = await registry.list('fraud');
    expect(versions.map((m) => m.version)).toEqual(['1', '2', '3']);
    expect(new Set(versions.map((m) => m.sha256)).size).toBe(3);
    expect(promoted).toBe((await registry.resolve('fraud')).manifest.version);
  });

  it('promotes, rolls back through the history, and refuses what it cannot do', async () => {
    for (const n of [1, 2, 3]) await registry.publish(draft, new Uint8Array([n]), 'onnx');
    expect((await registry.resolve('fraud')).manifest.version).toBe('1');
    await registry.promote('fraud', '2');
    await registry.promote('fraud', '3');
    expect((await registry.resolve('fraud')).manifest.version).toBe('3');
    expect((await registry.rollback('fraud')).version).toBe('2');
    expect((await registry.rollback('fraud')).version).toBe('1');
    expect(code(await registry.rollback('fraud').catch((e: unknown) => e))).toBe('MODEL_VERSION_NOT_FOUND');
    expect(code(await registry.promote('fraud', '7').catch((e: unknown) => e))).toBe(
      'MODEL_VERSION_NOT_FOUND',
    );
    expect(code(await registry.resolve('fraud', '../../etc').catch((e: unknown) => e))).toBe(
      'MODEL_VERSION_NOT_FOUND',
    );
  });

  it('records who changed the promotion in promoted.json and in the audit log, and reads older files', async () => {
    for (const n of [1, 2]) await registry.publish(draft, new Uint8Array([n]), 'onnx');
    const by = { key_id: 'key_1', tenant: 'ops' };
    expect(await registry.promote('fraud', '2', by)).toMatchObject({ version: '2', changed_by: by });
    expect(await registry.rollback('fraud')).toMatchObject({ version: '1', changed_by: null });
    const audit = (await readFile(path.join(dir, 'fraud', 'promotions.jsonl'), 'utf8')).trim().split('\n');
    expect(audit.map((line) => JSON.parse(line) as unknown)).toEqual([
      { action: 'publish', from: null, to: '1', by: null, at: expect.any(String) },
      { action: 'promote', from: '1', to: '2', by, at: expect.any(String) },
      { action: 'rollback', from: '2', to: '1', by: null, at: expect.any(String) },
    ]);
    expect(await registry.names()).toEqual(['fraud']);
    // A promotion file written before `changed_by` existed still reads.
    const old = { version: '2', previous: ['1'], changed_at: new Date().toISOString() };
    await writeFile(path.join(dir, 'fraud', 'promoted.json'), JSON.stringify(old));
    expect(await registry.promotion('fraud')).toEqual({ ...old, changed_by: null });
  });

  it('has no default before anything is trained', async () => {
    expect(code(await registry.resolve('recommender').catch((e: unknown) => e))).toBe(
      'MODEL_VERSION_NOT_FOUND',
    );
    expect(await registry.list('recommender')).toEqual({ promoted: null, versions: [] });
  });
});
