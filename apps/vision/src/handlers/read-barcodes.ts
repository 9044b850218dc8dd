import { barcodeFormats, type VisionBarcodes } from '@gantry/contracts';
import type { Handler } from '@gantry/queue-runtime';
import type { BarcodeReader } from '../engine/barcode-reader.js';

/** `vision.barcodes`: blob → zxing-cpp → every symbol with a valid checksum. */
export const readBarcodes: Handler<typeof VisionBarcodes, { barcodes: BarcodeReader }> = async (
  input,
  ctx,
  { barcodes },
) => {
  const image = await ctx.readBlob(input.file);
  ctx.useModel(barcodes.model);
  return barcodes.read(image, {
    formats: input.formats ?? barcodeFormats,
    maxSymbols: input.max_symbols,
    signal: ctx.signal,
  });
};
