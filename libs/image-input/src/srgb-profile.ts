/** sRGB's red, green and blue colourants as an ICC profile holds them (XYZ, adapted to D50). */
const srgbColourants = {
  rXYZ: [0.4361, 0.2225, 0.0139],
  gXYZ: [0.3851, 0.7169, 0.0971],
  bXYZ: [0.1431, 0.0606, 0.7141],
} as const;

/** The sRGB profiles in circulation round their colourants differently, by up to ~0.0005. */
const colourantTolerance = 0.002;
/** Half an 8-bit level: a curve this close to sRGB's gives the same bytes. */
const curveTolerance = 0.5 / 255;
const curveSamples = 64;

/** sRGB's transfer function (IEC 61966-2-1): encoded value 0..1 to linear light 0..1. */
const srgbToLinear = (value: number) => (value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4);

interface Tag {
  offset: number;
  size: number;
}

function readTags(icc: Buffer): Map<string, Tag> | null {
  if (icc.length < 132) return null;
  const count = icc.readUInt32BE(128);
  if (icc.length < 132 + count * 12) return null;
  const tags = new Map<string, Tag>();
  for (let i = 0; i < count; i++) {
    const entry = 132 + i * 12;
    const tag = { offset: icc.readUInt32BE(entry + 4), size: icc.readUInt32BE(entry + 8) };
    if (tag.offset + tag.size > icc.length) return null;
    tags.set(icc.toString('latin1', entry, entry + 4), tag);
  }
  return tags;
}

const s15Fixed16 = (icc: Buffer, at: number) => icc.readInt32BE(at) / 65_536;

function colourantIs(icc: Buffer, tag: Tag | undefined, expected: readonly number[]): boolean {
  if (!tag || tag.size < 20 || icc.toString('latin1', tag.offset, tag.offset + 4) !== 'XYZ ') return false;
  return expected.every(
    (value, i) => Math.abs(s15Fixed16(icc, tag.offset + 8 + i * 4) - value) <= colourantTolerance,
  );
}

/** The curve of a `curv` or `para` tag as a function, or null when the tag is neither or cut short. */
function readCurve(icc: Buffer, tag: Tag | undefined): ((x: number) => number) | null {
  if (!tag || tag.size < 12) return null;
  const type = icc.toString('latin1', tag.offset, tag.offset + 4);
  if (type === 'curv') {
    const points = icc.readUInt32BE(tag.offset + 8);
    if (points < 2 || tag.size < 12 + points * 2) return null; // 0: identity, 1: a pure gamma; neither is sRGB
    const point = (index: number) => icc.readUInt16BE(tag.offset + 12 + index * 2) / 65_535;
    return (x) => {
      const at = x * (points - 1);
      const below = Math.min(Math.floor(at), points - 2);
      return point(below) + (point(below + 1) - point(below)) * (at - below);
    };
  }
  if (type !== 'para') return null;
  const kind = icc.readUInt16BE(tag.offset + 8);
  const counts = [1, 3, 4, 5, 7];
  const count = counts[kind];
  if (count === undefined || tag.size < 12 + count * 4) return null;
  const [g = 1, a = 1, b = 0, c = 0, d = 0, e = 0, f = 0] = Array.from({ length: count }, (_, i) =>
    s15Fixed16(icc, tag.offset + 12 + i * 4),
  );
  const power = (x: number) => Math.max(a * x + b, 0) ** g;
  switch (kind) {
    case 0:
      return (x) => x ** g;
    case 1:
      return (x) => (x >= -b / a ? power(x) : 0);
    case 2:
      return (x) => (x >= -b / a ? power(x) + c : c);
    case 3:
      return (x) => (x >= d ? power(x) : c * x);
    default:
      return (x) => (x >= d ? power(x) + e : c * x + f);
  }
}

function curveIsSrgb(icc: Buffer, tag: Tag | undefined): boolean {
  const curve = readCurve(icc, tag);
  if (!curve) return false;
  for (let i = 0; i <= curveSamples; i++) {
    const x = i / curveSamples;
    if (Math.abs(curve(x) - srgbToLinear(x)) > curveTolerance) return false;
  }
  return true;
}

/**
 * Whether an embedded ICC profile describes sRGB itself: an RGB matrix/TRC profile with sRGB's
 * colourants and transfer curves, and no lookup tables that would take precedence over them.
 * Converting such an image "to sRGB" changes no pixel but costs a colour transform of every pixel
 * (a third of a small JPEG's decode time), so the decoder may skip it. Anything else, or a profile
 * it cannot read, returns false and is converted as before.
 */
export function isSrgbProfile(icc: Buffer | undefined): boolean {
  if (!icc || icc.length < 132) return false;
  if (icc.toString('latin1', 16, 20) !== 'RGB ' || icc.toString('latin1', 20, 24) !== 'XYZ ') return false;
  const tags = readTags(icc);
  if (!tags || ['A2B0', 'A2B1', 'A2B2', 'D2B0'].some((lut) => tags.has(lut))) return false;
  return (
    colourantIs(icc, tags.get('rXYZ'), srgbColourants.rXYZ) &&
    colourantIs(icc, tags.get('gXYZ'), srgbColourants.gXYZ) &&
    colourantIs(icc, tags.get('bXYZ'), srgbColourants.bXYZ) &&
    ['rTRC', 'gTRC', 'bTRC'].every((trc) => curveIsSrgb(icc, tags.get(trc)))
  );
}
