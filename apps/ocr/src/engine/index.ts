export { createOcrEngine, type ExtractOptions, type OcrEngine, type OcrEngineOptions } from './ocr-engine.js';
export type { OcrEngineKind } from './recognizers.js';
export type { Preprocessing } from './preprocessing.js';
export type { OcrBox, OcrPage, OcrResult, OcrWord } from './ocr-result.js';
export { parseLanguageListing } from './native-tesseract.js';
