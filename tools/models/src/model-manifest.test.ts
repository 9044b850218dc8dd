import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifierAssets } from './classifier-assets.js';
import { modelManifest } from './model-manifest.js';

const sharedModels = path.resolve(import.meta.dirname, '../../../../shared/models');

describe('model manifest', () => {
  it('pins the same bytes the engines are tested with', async () => {
    for (const asset of modelManifest) {
      const bytes = await readFile(path.join(sharedModels, asset.path));
      expect(createHash('sha256').update(bytes).digest('hex'), asset.path).toBe(asset.sha256);
    }
  });

  it('writes text assets byte for byte', () => {
    for (const asset of [...modelManifest, ...classifierAssets]) {
      if ('text' in asset.source) {
        expect(createHash('sha256').update(asset.source.text).digest('hex')).toBe(asset.sha256);
      }
    }
  });
});
