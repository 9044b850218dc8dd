// Test-only files for projects that test code built on this library (never part of the build).
export { noisyJpeg, withFlippedBytes, withStrayBytes } from './damaged-jpeg.js';
export { encodeBmp, type EncodeBmpOptions } from './encode-bmp.js';
export { interLinearReference } from './inter-linear-reference.js';
export { manyPagesTiff } from './many-pages-tiff.js';
export { pngBomb } from './png-bomb.js';
