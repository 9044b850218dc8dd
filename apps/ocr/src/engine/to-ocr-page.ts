import type { Bbox, Page } from 'tesseract.js';
import type { OcrBox, OcrPage, OcrWord } from './ocr-result.js';

const clamp = (value: number, max: number): number => Math.min(Math.max(Math.round(value), 0), max);

// Tesseract scores 0..100; Gantry scores 0..1 with three decimals.
const toScore = (confidence: number): number => clamp(confidence * 10, 1000) / 1000;

const toBox = (bbox: Bbox, width: number, height: number): OcrBox => ({
  x0: clamp(bbox.x0, width),
  y0: clamp(bbox.y0, height),
  x1: clamp(bbox.x1, width),
  y1: clamp(bbox.y1, height),
});

/** Flattens tesseract's blocks → paragraphs → lines → words into the page of the contract. */
export function toOcrPage(number: number, size: { width: number; height: number }, page: Page): OcrPage {
  const words: OcrWord[] = [];
  for (const block of page.blocks ?? []) {
    for (const paragraph of block.paragraphs) {
      for (const line of paragraph.lines) {
        for (const word of line.words) {
          const text = word.text.trim();
          if (text === '') continue;
          words.push({
            text,
            confidence: toScore(word.confidence),
            bbox: toBox(word.bbox, size.width, size.height),
          });
        }
      }
    }
  }
  return {
    number,
    width: size.width,
    height: size.height,
    text: page.text,
    confidence: words.length === 0 ? 0 : toScore(page.confidence),
    words,
  };
}
