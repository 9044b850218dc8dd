import { defineConfig } from 'vitest/config';
import { gantryVitest } from '../../vitest.shared.mjs';

// One test process for every file (isolate: false): the files import the same graph (sharp, the image
// decoders), which an isolated run evaluates again for each file. No file mocks, stubs or changes
// process.env.
export default defineConfig(gantryVitest(import.meta.dirname, '@gantry/image-input', { isolate: false }));
