import { describe, expect, it } from 'vitest';
import { ClassifierManifest, parseLabels } from './classifier-manifest.js';

const mobileNetV2 = {
  name: 'mobilenetv2-12',
  version: '12',
  model_file: 'mobilenetv2-12.onnx',
  model_sha256: 'c0c3f76d93fa3fd6580652a45618618a220fced18babf65774ed169de0432ad5',
  labels_file: 'imagenet_classes.txt',
  labels_format: 'indexed',
  input: {
    width: 224,
    height: 224,
    layout: 'NCHW',
    colour_order: 'RGB',
    resize: 'center_crop',
    mean: [0.485, 0.456, 0.406],
    std: [0.229, 0.224, 0.225],
  },
  output: 'logits',
};

describe('ClassifierManifest', () => {
  it('reads a manifest and fills the defaults', () => {
    const manifest = ClassifierManifest.parse({
      ...mobileNetV2,
      input: { ...mobileNetV2.input, mean: undefined },
    });
    expect(manifest.input).toMatchObject({ scale: 255, mean: [0, 0, 0], std: [0.229, 0.224, 0.225] });
  });

  it('refuses file names that leave the folder, zero std and odd checksums', () => {
    for (const bad of [
      { ...mobileNetV2, model_file: '../model.onnx' },
      { ...mobileNetV2, labels_file: '..' },
      { ...mobileNetV2, model_sha256: 'C0C3' },
      { ...mobileNetV2, input: { ...mobileNetV2.input, std: [1, 0, 1] } },
      { ...mobileNetV2, input: { ...mobileNetV2.input, width: 0 } },
    ]) {
      expect(ClassifierManifest.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});

describe('parseLabels', () => {
  it('reads one label a line, or "<index>, <label>" lines in order', () => {
    expect(parseLabels('cat\r\ndog\n\n', 'lines')).toEqual(['cat', 'dog']);
    expect(parseLabels('0, tench\n1, goldfish\n2, great_white_shark\n', 'indexed')).toEqual([
      'tench',
      'goldfish',
      'great_white_shark',
    ]);
    expect(() => parseLabels('0, tench\n2, goldfish\n', 'indexed')).toThrow(/line 2/);
  });
});
