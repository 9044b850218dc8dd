import { defineConfig } from 'vitest/config';
import { gantryVitest } from '../../vitest.shared.mjs';

export default defineConfig(gantryVitest(import.meta.dirname, '@gantry/tesseract-languages'));
