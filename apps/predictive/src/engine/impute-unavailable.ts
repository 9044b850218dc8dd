/**
 * The series with each unavailable point (not demand: out of stock, closed) replaced by the nearest
 * available value at the same season position, earlier or later, so that methods which need a gapless
 * series keep the season's shape; a position with no available value anywhere gets the available mean.
 */
export function imputeUnavailable(
  values: Float64Array,
  available: Uint8Array,
  seasonLength: number,
): Float64Array {
  if (available.every((flag) => flag !== 0)) return values;
  const out = Float64Array.from(values);
  let sum = 0;
  let count = 0;
  available.forEach((flag, i) => {
    if (flag !== 0) {
      sum += values[i] ?? 0;
      count += 1;
    }
  });
  for (let i = 0; i < out.length; i++) {
    if (available[i] !== 0) continue;
    out[i] = count > 0 ? sum / count : 0;
    for (let k = 1; i - k * seasonLength >= 0 || i + k * seasonLength < out.length; k++) {
      const back = i - k * seasonLength;
      const ahead = i + k * seasonLength;
      if (back >= 0 && available[back] !== 0) {
        out[i] = values[back] ?? 0;
        break;
      }
      if (ahead < out.length && available[ahead] !== 0) {
        out[i] = values[ahead] ?? 0;
        break;
      }
    }
  }
  return out;
}
