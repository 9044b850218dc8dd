// Test-only builders for projects that test ocr.extract from outside (e2e, bench): never part of the build.
export { type PlacedText, pageImage, tablePage, tableRows } from './page-images.js';
export * from './pdf-fixtures.js';
export { characterErrorRate } from './character-error-rate.js';
export { childProcesses } from './child-processes.js';
export { engineTitle, ocrEngineKinds } from './ocr-engine-kinds.js';
