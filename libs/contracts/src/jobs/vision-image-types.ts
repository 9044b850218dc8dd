/** Media types (sniffed from the bytes) that the vision job types taking one image read. */
export const visionImageTypes = [
  'image/png',
  'image/jpeg',
  'image/tiff',
  'image/webp',
  'image/gif',
  'image/bmp',
  'image/avif',
] as const;
