/**
 * The 8 digits printed under a UPC-E symbol, from the GTIN zxing-cpp reports for it (the UPC-A it
 * stands for, 12 digits, or 13 with a leading 0). UPC-E drops zeros from a UPC-A in one of four
 * patterns; this puts them back the other way. Anything else is returned unchanged.
 */
export function upcEText(gtin: string): string {
  const upcA = gtin.length === 13 && gtin.startsWith('0') ? gtin.slice(1) : gtin;
  if (!/^[01]\d{11}$/.test(upcA)) return gtin;
  const system = upcA.slice(0, 1);
  const maker = upcA.slice(1, 6);
  const product = upcA.slice(6, 11);
  const check = upcA.slice(11);
  let middle: string | null = null;
  if (/^\d\d[012]00$/.test(maker) && product.startsWith('00')) {
    middle = maker.slice(0, 2) + product.slice(2) + maker.slice(2, 3);
  } else if (maker.endsWith('00') && product.startsWith('000')) {
    middle = maker.slice(0, 3) + product.slice(3) + '3';
  } else if (maker.endsWith('0') && product.startsWith('0000')) {
    middle = maker.slice(0, 4) + product.slice(4) + '4';
  } else if (product.startsWith('0000') && Number(product.slice(4)) >= 5) {
    middle = maker + product.slice(4);
  }
  return middle === null ? gtin : system + middle + check;
}
