import { describe, expect, it } from 'vitest';
import { decodeYoloxOutput } from './decode-yolox-output.js';

// A hand-made output tensor (no model): the anchor layout and the box arithmetic are what is under test.
const columns = 85;
const anchors = 52 * 52 + 26 * 26 + 13 * 13;

function outputWith(rows: { row: number; values: Record<number, number> }[]): Float32Array {
  const output = new Float32Array(anchors * columns);
  for (const { row, values } of rows) {
    for (const [column, value] of Object.entries(values)) output[row * columns + Number(column)] = value;
  }
  return output;
}

describe('decodeYoloxOutput', () => {
  it('places anchors by stride and grid cell, scales boxes back by the letterbox ratio', () => {
    const stride16Row = 52 * 52 + 5 * 26 + 3; // stride 16, gx 3, gy 5
    const lastRow = anchors - 1; // stride 32, gx 12, gy 12
    const output = outputWith([
      {
        row: stride16Row,
        values: { 0: 0.5, 1: 0.25, 2: Math.log(2), 3: 0, 4: 0.9, [5 + 15]: 0.5, [5 + 16]: 0.8 },
      },
      { row: lastRow, values: { 0: 0, 1: 0, 2: 0, 3: 0, 4: 0.6, [5 + 0]: 0.7 } },
      { row: 10, values: { 4: 0.9, [5 + 2]: 0.3 } }, // 0.27 < minScore
      { row: 11, values: { 4: 0.2, [5 + 2]: 1 } }, // objectness alone below minScore
    ]);

    const candidates = decodeYoloxOutput(output, { ratio: 0.5, minScore: 0.3 });

    expect(candidates).toHaveLength(2);
    const [dog, person] = candidates;
    expect(dog?.classIndex).toBe(16);
    expect(dog?.score).toBeCloseTo(0.72, 5);
    // cx = (0.5 + 3)·16 = 56, cy = (0.25 + 5)·16 = 84, w = 2·16 = 32, h = 16; then ÷ 0.5
    expect(dog).toMatchObject({
      x0: expect.closeTo(80, 4),
      y0: expect.closeTo(152, 4),
      x1: expect.closeTo(144, 4),
      y1: expect.closeTo(184, 4),
    });
    expect(person?.classIndex).toBe(0);
    expect(person?.score).toBeCloseTo(0.42, 5);
    // cx = cy = 12·32 = 384, w = h = 32; ratio 0.5
    expect(person).toMatchObject({ x0: 736, y0: 736, x1: 800, y1: 800 });
  });

  it('refuses an output of the wrong shape', () => {
    expect(() => decodeYoloxOutput(new Float32Array(anchors * 6), { ratio: 1, minScore: 0.3 })).toThrow(
      /output values/,
    );
  });
});
