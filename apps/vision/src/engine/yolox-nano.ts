/**
 * What the engine knows about the YOLOX-Nano files it loads (shared/models/yolox-nano/NOTES.md):
 * pinned checksums, the input size and the output layout.
 */
export const yoloxNano = {
  name: 'yolox-nano',
  version: '0.1.1',
  folder: 'yolox-nano',
  modelFile: 'yolox_nano.onnx',
  modelSha256: '695e750a5d5754bb5a8d5325643b59282191a7e7a564e435a415fd3c578eab14',
  labelsFile: 'coco-labels.txt',
  labelsSha256: 'bd17f1ee35d5f3c862a4894605855abbb9dda4b0621fdb0ac4c2c8c7bb7e730a',
  /** Square input side; the image is letterboxed into it. */
  inputSize: 416,
  /** Grey the letterbox pads with, as in YOLOX's own preprocessing. */
  padValue: 114,
  /** Output rows come stride by stride, each a row-major grid of inputSize / stride cells. */
  strides: [8, 16, 32],
  classCount: 80,
  /** IoU above which the lower-scoring box of the same class is dropped. */
  nmsIou: 0.45,
} as const;
