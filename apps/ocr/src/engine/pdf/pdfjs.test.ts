// Real pdf.js: its legacy bundles replace builtins process-wide on Node 20 (builtins-before-pdfjs.ts);
// the engine loads it through pdfjs.ts, which puts them back.
import { describe, expect, it } from 'vitest';
import { textPdf } from '../../testing/pdf-fixtures.js';

const builtins = () => [JSON.stringify, JSON.parse, Array.prototype.push, Function.prototype.toString];

describe('pdf.js through pdfjs.ts', () => {
  it('leaves JSON, Array.prototype.push and Function.prototype.toString as they were, after reading a PDF', async () => {
    const before = builtins();
    const { getDocument } = await import('./pdfjs.js');
    const pdf = await getDocument({
      data: await textPdf([[{ x: 72, y: 72, text: 'Builtins stay native' }]]),
      isEvalSupported: false,
      verbosity: 0,
    }).promise;
    const page = await pdf.getPage(1);
    const { items } = await page.getTextContent();
    await pdf.destroy();

    expect(items.some((item) => 'str' in item && item.str === 'Builtins stay native')).toBe(true);
    // pdf.js did load its core-js (the test would prove nothing otherwise)…
    expect('__core-js_shared__' in globalThis).toBe(true);
    // …and the process still has the builtins it had.
    expect(builtins()).toEqual(before);
    expect(builtins().every((fn, i) => fn === before[i])).toBe(true);
  });
});
