/** Test helpers other projects' OCR tests share (source only, never built). */
export { characterErrorRate } from './character-error-rate.js';
