export * from './blob-store.js';
export * from './file-blob-store.js';
export * from './sniff-media-type.js';
