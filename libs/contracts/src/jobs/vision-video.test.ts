import { describe, expect, it } from 'vitest';
import { VisionVideoInput } from './vision-video.js';

const file = { blob_id: 'blob_5f0c6a1e-3b9d-4c2a-9e57-1d2f3a4b5c6d' };

describe('VisionVideoInput', () => {
  it('keeps rate sampling the default, so inputs written before scene sampling read the same', () => {
    expect(VisionVideoInput.parse({ file, every_s: 2 })).toMatchObject({
      every_s: 2,
      sample: 'rate',
      scene_threshold: 0.3,
    });
  });

  it('refuses an unknown sampling and a scene threshold outside 0.01–1', () => {
    for (const input of [
      { file, sample: 'keyframes' },
      { file, sample: 'scene', scene_threshold: 0 },
      { file, sample: 'scene', scene_threshold: 1.5 },
      { file, sample: 'scene', scene_threshold: 'high' },
    ]) {
      expect([input, VisionVideoInput.safeParse(input).success]).toEqual([input, false]);
    }
  });

  it('reads OCR languages as ocr.extract does: English by default, tesseract codes, no repeats, at most 4', () => {
    expect(VisionVideoInput.parse({ file, analyses: ['ocr'] }).languages).toEqual(['eng']);
    expect(
      VisionVideoInput.parse({ file, analyses: ['ocr'], languages: ['eng', 'chi_sim'] }).languages,
    ).toEqual(['eng', 'chi_sim']);
    for (const languages of [[], ['english'], ['eng', 'eng'], ['eng', 'deu', 'fra', 'spa', 'ita']]) {
      expect([languages, VisionVideoInput.safeParse({ file, languages }).success]).toEqual([
        languages,
        false,
      ]);
    }
  });
});
