/**
 * The builtins pdf.js's legacy build replaces on Node 20, as they were before it loaded. Its bundled
 * core-js swaps them process-wide for JavaScript versions: `JSON.stringify` ~12× slower (it lacks
 * `JSON.rawJSON` there), `Array.prototype.push` ~3× (an edge case past 2³² elements), `JSON.parse`
 * and `Function.prototype.toString` (so the swaps look native). Evaluated before pdf.js by being
 * `pdfjs.ts`'s first import; pdf.js itself never needs the replacements.
 */
const kept = [
  [JSON, 'stringify', JSON.stringify],
  [JSON, 'parse', JSON.parse],
  [Array.prototype, 'push', Array.prototype.push],
  [Function.prototype, 'toString', Function.prototype.toString],
] as const;

/** Puts the kept builtins back, as they were defined (writable, not enumerable). */
export function restoreBuiltins(): void {
  for (const [owner, name, value] of kept) {
    Object.defineProperty(owner, name, { value, writable: true, enumerable: false, configurable: true });
  }
}
