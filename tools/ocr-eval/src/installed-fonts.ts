import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Debian's packages of the families the generated pages name. */
const fontPackages = 'fonts-liberation fonts-dejavu-core fonts-urw-base35';

/**
 * Refuses to render pages in fonts this machine lacks. librsvg quietly draws a missing family in a
 * fallback font, so the "same" pages would be other pages and their CER not comparable with any run
 * before (on a machine with DejaVu alone, the layouts read 11.6 % turned 90° against 0.1 %).
 */
export async function requireFontFamilies(families: Iterable<string>): Promise<void> {
  const missing: string[] = [];
  for (const family of new Set(families)) {
    const { stdout } = await run('fc-match', ['-f', '%{family}', family]).catch((error: unknown) => {
      throw new Error(`fc-match (fontconfig) is needed to check the pages' fonts: ${String(error)}`);
    });
    if (!stdout.split(',').includes(family)) missing.push(`${family} (drawn as ${stdout})`);
  }
  if (missing.length > 0) {
    throw new Error(`fonts the pages name are not installed: ${missing.join('; ')}; install ${fontPackages}`);
  }
}
