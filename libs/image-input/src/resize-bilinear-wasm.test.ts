import { readFile } from 'node:fs/promises';
import wabt from 'wabt';
import { expect, it } from 'vitest';

/** resize-bilinear-wasm.ts as written from the kernel's bytes, laid out as Prettier lays it out. */
const moduleText = (wasm: Uint8Array) =>
  [
    '// resize-bilinear.wat, compiled by resize-bilinear-wasm.test.ts: edit the .wat, then run',
    '// `npx nx test @gantry/image-input -- -u` to write this file again.',
    'export const resizeBilinearWasm = Buffer.from(',
    `  '${Buffer.from(wasm).toString('base64')}',`,
    "  'base64',",
    ');',
    '',
  ].join('\n');

it('resize-bilinear-wasm.ts holds resize-bilinear.wat as compiled now', async () => {
  const source = await readFile(new URL('./resize-bilinear.wat', import.meta.url), 'utf8');
  const parsed = (await wabt()).parseWat('resize-bilinear.wat', source, { simd: true });
  try {
    parsed.validate();
    await expect(moduleText(parsed.toBinary({}).buffer)).toMatchFileSnapshot('./resize-bilinear-wasm.ts');
  } finally {
    parsed.destroy();
  }
});
