import { fileURLToPath } from 'node:url';

// src/ and dist/ sit side by side in the tool folder, so these hold for the sources and the build.
export const corpusFolder = fileURLToPath(new URL('../corpus/', import.meta.url));
export const artefactFile = fileURLToPath(new URL('../dist/model/sentiment-en.json', import.meta.url));
