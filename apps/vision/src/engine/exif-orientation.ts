import type { Sharp } from 'sharp';

/**
 * What each EXIF orientation (2–8) does to the stored pixels to show them upright, as libvips'
 * autoOrient does it. sharp mirrors before it rotates, whatever order the calls come in.
 */
const turns: Record<number, { mirror: boolean; angle: 0 | 90 | 180 | 270; says: string }> = {
  2: { mirror: true, angle: 0, says: 'mirrored' },
  3: { mirror: false, angle: 180, says: 'turned 180°' },
  4: { mirror: true, angle: 180, says: 'mirrored and turned 180° (flipped top to bottom)' },
  5: { mirror: true, angle: 270, says: 'mirrored and turned 90° counter-clockwise' },
  6: { mirror: false, angle: 90, says: 'turned 90° clockwise' },
  7: { mirror: true, angle: 90, says: 'mirrored and turned 90° clockwise' },
  8: { mirror: false, angle: 270, says: 'turned 90° counter-clockwise' },
};

/** What showing pixels stored with this EXIF orientation upright takes, in words; null for 1 (upright). */
export const orientationTurn = (orientation: number): string | null => turns[orientation]?.says ?? null;

/** Whether the orientation is a quarter turn, so that width and height swap. */
export const swapsSides = (orientation: number): boolean => {
  const angle = turns[orientation]?.angle;
  return angle === 90 || angle === 270;
};

/** Turns pixels decoded as stored (`orient: false`) upright by their EXIF orientation. */
export function orientStored(pipeline: Sharp, orientation: number): Sharp {
  const turn = turns[orientation];
  return turn ? pipeline.flop(turn.mirror).rotate(turn.angle) : pipeline;
}
