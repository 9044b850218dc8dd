// The engine returns the contract's output as is (libs/contracts/src/jobs/ocr-extract.ts), so the
// handler passes it through. Confidences are 0..1; boxes are pixels of the page, x1/y1 exclusive.
export type {
  OcrBlock,
  OcrBox,
  OcrExtractOutput as OcrResult,
  OcrLine,
  OcrPage,
  OcrWord,
} from '@gantry/contracts';
