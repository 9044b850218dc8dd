/** `Corrupt JPEG data: 16 extraneous bytes before marker 0xc4`, as libvips words libjpeg's JWRN_EXTRANEOUS_DATA. */
const extraneousBytes =
  /^(?:VipsJpeg: )?Corrupt JPEG data: \d+ extraneous bytes before marker 0x([0-9a-f]{2})$/i;

/**
 * Whether a decoder failure under sharp's `failOn: 'warning'` is only libjpeg's warning that it
 * skipped stray bytes between two segments (padding before the end-of-image marker, as many
 * cameras write; bytes before a table or scan header). Those bytes were never pixel data: the
 * picture decodes whole without them, and every viewer shows it. Every line must be that warning
 * and its marker must not be a restart marker (0xd0–0xd7): bytes skipped before a restart marker
 * are the rest of an interval of scan data the decoder gave up on, which is lost pixels.
 */
export function isHarmlessJpegWarning(message: string): boolean {
  const lines = message
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  return (
    lines.length > 0 &&
    lines.every((line) => {
      const marker = extraneousBytes.exec(line)?.[1];
      if (marker === undefined) return false;
      const code = Number.parseInt(marker, 16);
      return code < 0xd0 || code > 0xd7;
    })
  );
}
