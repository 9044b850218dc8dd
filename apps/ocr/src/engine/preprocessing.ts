import type { TesseractSettings } from './tesseract-settings.js';

/**
 * Each preprocessing step, switchable for evaluation (tools/ocr-eval's ablation); jobs always get
 * the defaults. `auto` runs a step only where the page's measured statistics call for it.
 */
export interface Preprocessing {
  /** Local contrast equalisation (CLAHE): `auto` only on unevenly lit pages (see prepare-page.ts). */
  contrast: 'auto' | 'on' | 'off';
  /** 3×3 median: `auto` only on speckled pages whose strokes are thick enough to survive it. */
  despeckle: 'auto' | 'on' | 'off';
  /**
   * Twice the pixels (Lanczos): `auto` only where strokes are 2 px or thinner (small text, low
   * resolution). Off by default: it gained nothing measured (8 pt at 150 dpi reads 0 % either way)
   * and quadruples the pixels tesseract reads.
   */
  upscale: 'auto' | 'on' | 'off';
  /**
   * Tesseract's own binarisation of the prepared grey page: `auto` is Sauvola's local threshold
   * on unevenly lit pages (the CLAHE rule's measurement, see prepare-page.ts), Otsu elsewhere.
   */
  threshold: TesseractSettings['threshold'] | 'auto';
  /** Long thin horizontal and vertical lines (table borders, underlines) turned to paper after deskewing (remove-rules.ts). */
  rules: 'remove' | 'keep';
}

export const defaultPreprocessing: Preprocessing = {
  contrast: 'auto',
  despeckle: 'auto',
  upscale: 'off',
  threshold: 'otsu',
  rules: 'remove',
};

/** Share of ink pixels in specks from which a page counts as speckled: clean text measured 0–1.5 % (thin serifs, 8 pt at 150 dpi), speckle and fax noise 2.7–8 %. */
export const speckledShare = 0.02;
/** Thinnest stroke (median horizontal ink run, px) a 3×3 median leaves standing. */
export const medianSafeStroke = 3;
/** Stroke width (px) at or under which text is too small for tesseract's best accuracy: upscaled. */
export const thinStroke = 2;
