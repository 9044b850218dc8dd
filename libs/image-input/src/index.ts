export { openImage, type OpenImageOptions, type OpenedImage } from './open-image.js';
export type { ImageFormat } from './sniff-image-format.js';
