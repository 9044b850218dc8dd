import type { Candidate } from './decode-yolox-output.js';

type Corners = Pick<Candidate, 'x0' | 'y0' | 'x1' | 'y1'>;

/** Intersection over union of two boxes given by their corners. */
export function iou(a: Corners, b: Corners): number {
  const width = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
  const height = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
  if (width <= 0 || height <= 0) return 0;
  const overlap = width * height;
  const area = (box: Corners) => (box.x1 - box.x0) * (box.y1 - box.y0);
  return overlap / (area(a) + area(b) - overlap);
}

/**
 * Greedy non-maximum suppression within each class: a box is dropped when it overlaps a better box
 * of the same class by more than `iouThreshold`. Boxes of different classes never suppress each
 * other (a dog and the bicycle behind it overlap). Returns the kept boxes, best score first.
 */
export function nonMaxSuppression(candidates: readonly Candidate[], iouThreshold: number): Candidate[] {
  const sorted = [...candidates].sort((a, b) => b.score - a.score);
  const kept: Candidate[] = [];
  for (const candidate of sorted) {
    const suppressed = kept.some(
      (better) => better.classIndex === candidate.classIndex && iou(better, candidate) > iouThreshold,
    );
    if (!suppressed) kept.push(candidate);
  }
  return kept;
}
