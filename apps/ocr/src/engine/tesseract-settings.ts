/** How tesseract itself reads a prepared page: its own binarisation and the page's resolution. */
export interface TesseractSettings {
  /**
   * Tesseract's binarisation (`thresholding_method`): its global Otsu (`otsu`, tesseract's
   * default), leptonica's tiled Otsu (`tiled-otsu`) or Sauvola's local threshold (`sauvola`).
   */
  threshold: 'otsu' | 'tiled-otsu' | 'sauvola';
  /** Pixels per inch of the page as tesseract reads it; null lets tesseract estimate it from the glyphs. */
  dpi: number | null;
}

const thresholdingMethod = { otsu: '0', 'tiled-otsu': '1', sauvola: '2' } as const;

/** The tesseract parameters for these settings; `user_defined_dpi` 0 means "estimate it". */
export function tesseractParameters(settings: TesseractSettings): Record<string, string> {
  return {
    thresholding_method: thresholdingMethod[settings.threshold],
    user_defined_dpi: settings.dpi === null ? '0' : String(Math.round(settings.dpi)),
  };
}
