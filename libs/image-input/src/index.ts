export type { AlphaHandling, DecodedPage, GreyPage, SourceMetadata } from './image-file.js';
export { openImage, type OpenImageOptions, type OpenedImage } from './open-image.js';
export { openImageScaled, type OpenImageScaledOptions, type ScaledImage } from './open-image-scaled.js';
export { openImagePages, type ImagePages, type OpenImagePagesOptions } from './open-image-pages.js';
export type { ImageFormat } from './sniff-image-format.js';
