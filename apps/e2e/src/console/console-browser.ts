import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';

/** Debian's Chromium (`apt-get install chromium`); Playwright drives it, and downloads no browser of its own. */
export const chromiumPath = '/usr/bin/chromium';
export const hasChromium = existsSync(chromiumPath);

/** Where the run's screenshots go (gitignored `test-output`), to look at when a run fails. */
export const screenshotDir = path.resolve(import.meta.dirname, '../../test-output/console');

/** The console's build, which the gateway serves from; `nx run @gantry/e2e:test` builds it first. */
export const consoleIndex = path.resolve(import.meta.dirname, '../../../console/dist/index.html');

export const ensureScreenshotDir = () => mkdir(screenshotDir, { recursive: true });

/**
 * Whether a screenshot shows a page rather than nothing: a blank (or single-colour) capture has one
 * colour, so its pixels' spread is zero; a rendered page of text, tables and buttons has many.
 */
export async function screenshotSpread(
  file: string,
): Promise<{ width: number; stdev: number; entropy: number }> {
  const image = sharp(file);
  const [{ width = 0 }, stats] = await Promise.all([image.metadata(), image.stats()]);
  const stdev = Math.max(...stats.channels.slice(0, 3).map((channel) => channel.stdev));
  return { width, stdev, entropy: stats.entropy };
}
