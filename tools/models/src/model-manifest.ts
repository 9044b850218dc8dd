import { cocoLabels } from '@gantry/contracts';

/** A file of MODELS_DIR: where it comes from and the bytes it must have. */
export interface ModelAsset {
  path: string;
  sha256: string;
  source: { url: string } | { text: string };
}

/**
 * Every model file the workers load from MODELS_DIR, pinned by sha256. Weights are never committed:
 * this manifest is how a deployment gets them. (OCR language data comes from npm.)
 */
export const modelManifest: readonly ModelAsset[] = [
  {
    // YOLOX-Nano (Apache-2.0), official COCO weights re-exported to ONNX (opset 11, 416×416).
    path: 'yolox-nano/yolox_nano.onnx',
    sha256: '695e750a5d5754bb5a8d5325643b59282191a7e7a564e435a415fd3c578eab14',
    source: {
      url: 'https://github.com/Kazuhito00/YOLOX-ONNX-TFLite-Sample/raw/0f785c070ce8da070aeaeef46c0da7904ff7012e/model/yolox_nano.onnx',
    },
  },
  {
    path: 'yolox-nano/coco-labels.txt',
    sha256: 'bd17f1ee35d5f3c862a4894605855abbb9dda4b0621fdb0ac4c2c8c7bb7e730a',
    source: { text: `${cocoLabels.join('\n')}\n` },
  },
];
