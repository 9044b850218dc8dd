import type { ModelAsset } from './model-manifest.js';

/**
 * What the vision worker reads from `<MODELS_DIR>/classifier/manifest.json` for MobileNetV2: the
 * ONNX model zoo's preprocessing (RGB, 0–1, ImageNet mean and std, centre crop) and raw logits.
 */
const mobileNetV2Manifest = {
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
    scale: 255,
    mean: [0.485, 0.456, 0.406],
    std: [0.229, 0.224, 0.225],
  },
  output: 'logits',
};

/**
 * The ImageNet classifier `npm run models:fetch -- --classifier` installs for vision.classify and
 * vision.tags: MobileNetV2 (opset 12, Apache-2.0) from the ONNX model zoo, 13,964,571 bytes, with
 * PyTorch hub's 1,000 ImageNet class names. Opt-in, so machines without internet keep fetching
 * only what they can copy.
 */
export const classifierAssets: readonly ModelAsset[] = [
  {
    path: 'classifier/mobilenetv2-12.onnx',
    sha256: 'c0c3f76d93fa3fd6580652a45618618a220fced18babf65774ed169de0432ad5',
    source: {
      url: 'https://github.com/onnx/models/raw/main/validated/vision/classification/mobilenet/model/mobilenetv2-12.onnx',
    },
  },
  {
    path: 'classifier/imagenet_classes.txt',
    sha256: '1f386e0d1cb6e28b9c2dac651c3dea6801e98ad1b41a14ce6bb1a093d72069f5',
    source: {
      url: 'https://raw.githubusercontent.com/pytorch/hub/a6fc887fbbbda0dd37c440bf8a145f1da6707d6b/imagenet_classes.txt',
    },
  },
  {
    path: 'classifier/manifest.json',
    sha256: '8b3de208033d13b03620f7f766cea9ef34888f6e53d398d821b7bd778d7044b3',
    source: { text: `${JSON.stringify(mobileNetV2Manifest, null, 2)}\n` },
  },
];
