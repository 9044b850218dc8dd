import type { ImageLabel, VisionTagsOutput } from '@gantry/contracts';
import { openImage } from '@gantry/image-input';
import type { ImageClassifier } from '../classifier/create-image-classifier.js';
import { captureData } from './capture-data.js';
import type { ObjectDetector } from './create-object-detector.js';
import { dominantColours } from './dominant-colours.js';
import { imageStatistics } from './image-statistics.js';

export interface ImageTagger {
  tag(bytes: Buffer, options: { minScore: number; signal?: AbortSignal }): Promise<VisionTagsOutput>;
}

/** Laplacian variance under which a photo looks blurred (on the 512 px copy the statistics use). */
const blurrySharpness = 100;
/** Dominant colours are counted on a copy this long a side: enough for shares to the permille. */
const colourSide = 128;
/** Classes of the whole-image classifier that can become labels. */
const classifierTopK = 5;

/** Labels with counts from the detector's objects: one per class, most confident first. */
function labelsFrom(objects: { label: string; score: number }[]): ImageLabel[] {
  const byLabel = new Map<string, ImageLabel>();
  for (const { label, score } of objects) {
    const found = byLabel.get(label);
    if (found) {
      found.count++;
      found.confidence = Math.max(found.confidence, score);
    } else byLabel.set(label, { label, source: 'detection', count: 1, confidence: score });
  }
  return [...byLabel.values()].sort((a, b) => b.confidence - a.confidence);
}

/**
 * `vision.tags`: what is in an image (YOLOX-Nano's objects, counted by class, and the installed
 * classifier's classes when there is one) and what the file says about itself (format, EXIF
 * orientation and capture data), with its colours and quality.
 */
export function createImageTagger({
  detector,
  classifier,
  maxPixels,
}: {
  detector: ObjectDetector;
  classifier: ImageClassifier | null;
  maxPixels: number;
}): ImageTagger {
  return {
    async tag(bytes, { minScore, signal }) {
      const opened = await openImage(bytes, { maxPixels });
      signal?.throwIfAborted();
      const { data, info } = await opened.image.clone().raw().toBuffer({ resolveWithObject: true });
      const raw = { data, width: info.width, height: info.height, channels: 3 as const };
      const statistics = await imageStatistics(raw);
      const { data: small, info: smallInfo } = await opened.image
        .clone()
        .resize(colourSide, colourSide, { fit: 'inside' })
        .raw()
        .toBuffer({ resolveWithObject: true });
      const detections = await detector.detect(bytes, {
        minScore,
        maxDetections: 100,
        ...(signal ? { signal } : {}),
      });
      const classes = classifier
        ? await classifier.classify(bytes, { topK: classifierTopK, minScore, ...(signal ? { signal } : {}) })
        : null;
      const labels: ImageLabel[] = [
        ...labelsFrom(detections.objects),
        ...(classes?.labels ?? []).map(({ label, score }) => ({
          label,
          source: 'classification' as const,
          count: 1,
          confidence: score,
        })),
      ].sort((a, b) => b.confidence - a.confidence);
      return {
        width: opened.width,
        height: opened.height,
        format: opened.format,
        orientation: opened.metadata.orientation,
        frames: opened.pages,
        animated: opened.pages > 1 && (opened.format === 'gif' || opened.format === 'webp'),
        capture: captureData(opened.metadata.exif),
        labels,
        dominant_colours: dominantColours({
          data: small,
          width: smallInfo.width,
          height: smallInfo.height,
          channels: 3,
        }),
        brightness: statistics.brightness,
        contrast: statistics.contrast,
        sharpness: statistics.sharpness,
        blurry: statistics.sharpness < blurrySharpness,
      };
    },
  };
}
