// resize-bilinear.wat, compiled by resize-bilinear-wasm.test.ts: edit the .wat, then run
// `npx nx test @gantry/image-input -- -u` to write this file again.
export const resizeBilinearWasm = Buffer.from(
  'AGFzbQEAAAABDgFgCn9/f39/f39/f38AAwIBAAUDAQABBxMCBm1lbW9yeQIABnJlc2l6ZQAACqACAZ0CAgZ/BXsgASEOA0AgACAEIApBAnRqKAIAaiEMIAUgCkECdGooAgD9ESERQYAQ/REgEf2xASEQQQAhCwNAIAwgByALQQJ0aigCAGohDSAIIAtBAnRqKAIA/REhE0GAEP0RIBP9sQEhEiANIAZqIQ8gECASIA39XAIA/YkB/akB/bUBIBMgDSAJav1cAgD9iQH9qQH9tQH9rgH9tQEgESASIA/9XAIA/YkB/akB/bUBIBMgDyAJav1cAgD9iQH9qQH9tQH9rgH9tQH9rgEhFCAUQYCAgAH9Ef2uAUEW/awBIRQgFCAU/YYBIRQgDiAUIBT9Zv0bADYCACAOQQNqIQ4gC0EBaiELIAsgAkkNAAsgCkEBaiEKIAogA0kNAAsL',
  'base64',
);
