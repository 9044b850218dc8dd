import { describe, expect, it } from 'vitest';
import { boxesOf } from './image-boxes.js';

describe('the boxes of an output', () => {
  it('labels vision.detect objects with their score', () => {
    const output = {
      width: 640,
      height: 480,
      objects: [{ label: 'dog', score: 0.914, box: { x: 10, y: 20, width: 100, height: 50 } }],
    };
    expect(boxesOf('vision.detect', output)).toEqual({
      width: 640,
      height: 480,
      boxes: [{ x: 10, y: 20, width: 100, height: 50, label: 'dog 91%' }],
    });
  });

  it('turns the first OCR page’s line boxes (exclusive corners) into width and height', () => {
    const line = { text: 'Invoice 42', bbox: { x0: 5, y0: 6, x1: 105, y1: 26 } };
    const output = { pages: [{ width: 800, height: 600, blocks: [{ lines: [line] }] }] };
    expect(boxesOf('ocr.extract', output)).toEqual({
      width: 800,
      height: 600,
      boxes: [{ x: 5, y: 6, width: 100, height: 20, label: 'Invoice 42' }],
    });
  });

  it('has none for other types, or outputs without boxes', () => {
    expect(boxesOf('llm.sentiment', { label: 'positive' })).toBeNull();
    expect(boxesOf('ocr.extract', { pages: [] })).toBeNull();
    expect(boxesOf('vision.detect', null)).toBeNull();
  });
});
