import { readFileSync } from 'node:fs';
import path from 'node:path';

/** /work/shared/fixtures/ocr (read-only), found beside the repository like the models directory. */
export const ocrFixturesDir = path.resolve(import.meta.dirname, '../../../../../shared/fixtures/ocr');

export const readOcrFixture = (name: string): Buffer => readFileSync(path.join(ocrFixturesDir, name));

export const invoiceText = (): string => readOcrFixture('invoice.gt.txt').toString('utf8');
