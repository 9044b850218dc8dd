import type { CaptureData } from '@gantry/contracts';
import exifReader from 'exif-reader';

const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);
const number = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/** Degrees, minutes, seconds and a hemisphere letter → signed decimal degrees. */
function degrees(parts: unknown, ref: unknown, negative: string): number | null {
  if (!Array.isArray(parts) || parts.length !== 3 || !parts.every((p) => typeof p === 'number')) return null;
  const [d = 0, m = 0, s = 0] = parts as number[];
  const value = d + m / 60 + s / 3600;
  return Math.round((ref === negative ? -value : value) * 1e6) / 1e6;
}

/** Formats exif-reader's DateTimeOriginal (a Date read as UTC) the way the camera wrote it. */
function takenAt(value: unknown): string | null {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString().slice(0, 19);
  return text(value);
}

/**
 * When, with what and where a photo was taken, from its raw EXIF block. A block that cannot be
 * parsed is treated as missing: capture data is a description, never a reason to fail a job.
 */
export function captureData(exif: Buffer | null): CaptureData | null {
  if (!exif) return null;
  let tags: ReturnType<typeof exifReader>;
  try {
    tags = exifReader(exif);
  } catch {
    return null;
  }
  const photo = tags.Photo ?? {};
  const gps = tags.GPSInfo ?? {};
  const latitude = degrees(gps.GPSLatitude, gps.GPSLatitudeRef, 'S');
  const longitude = degrees(gps.GPSLongitude, gps.GPSLongitudeRef, 'W');
  return {
    taken_at: takenAt(photo.DateTimeOriginal),
    camera_make: text(tags.Image?.Make),
    camera_model: text(tags.Image?.Model),
    exposure_time_s: number(photo.ExposureTime),
    f_number: number(photo.FNumber),
    iso: number(photo.ISOSpeedRatings),
    focal_length_mm: number(photo.FocalLength),
    gps: latitude === null || longitude === null ? null : { latitude, longitude },
  };
}
