import { yoloxNano } from './yolox-nano.js';

/** A scored box in image pixels (corners, not yet clipped to the image). */
export interface Candidate {
  classIndex: number;
  score: number;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface DecodeOptions {
  /** From the letterbox: model pixels per image pixel. */
  ratio: number;
  minScore: number;
  inputSize?: number;
  classCount?: number;
}

/**
 * Turns YOLOX's raw `[1, anchors, 5 + classes]` output into candidates: each anchor's offsets are
 * relative to its grid cell and scaled by its stride; its score is objectness × its best class
 * probability (both already sigmoid-ed by the exported graph).
 */
export function decodeYoloxOutput(
  output: Float32Array,
  { ratio, minScore, inputSize = yoloxNano.inputSize, classCount = yoloxNano.classCount }: DecodeOptions,
): Candidate[] {
  const columns = 5 + classCount;
  const anchors = yoloxNano.strides.reduce((sum, stride) => sum + (inputSize / stride) ** 2, 0);
  if (output.length !== anchors * columns) {
    throw new Error(`expected ${anchors}×${columns} output values, got ${output.length}`);
  }
  const at = (index: number): number => output[index] ?? 0;
  const candidates: Candidate[] = [];
  let row = 0;
  for (const stride of yoloxNano.strides) {
    const cells = inputSize / stride;
    for (let gy = 0; gy < cells; gy++) {
      for (let gx = 0; gx < cells; gx++, row++) {
        const offset = row * columns;
        const objectness = at(offset + 4);
        // Class probabilities are at most 1, so a low objectness can never reach the threshold.
        if (objectness < minScore) continue;
        let classIndex = 0;
        let classScore = at(offset + 5);
        for (let c = 1; c < classCount; c++) {
          const value = at(offset + 5 + c);
          if (value > classScore) {
            classScore = value;
            classIndex = c;
          }
        }
        const score = objectness * classScore;
        if (score < minScore) continue;
        const cx = (at(offset) + gx) * stride;
        const cy = (at(offset + 1) + gy) * stride;
        const w = Math.exp(at(offset + 2)) * stride;
        const h = Math.exp(at(offset + 3)) * stride;
        candidates.push({
          classIndex,
          score,
          x0: (cx - w / 2) / ratio,
          y0: (cy - h / 2) / ratio,
          x1: (cx + w / 2) / ratio,
          y1: (cy + h / 2) / ratio,
        });
      }
    }
  }
  return candidates;
}
