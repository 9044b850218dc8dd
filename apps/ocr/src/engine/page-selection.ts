import { GantryError } from '@gantry/contracts';

export interface PageRange {
  first: number;
  /** Inclusive; undefined: to the end. */
  last?: number | undefined;
}

export interface PageSelection {
  /** 1-based page numbers to read, in order. */
  numbers: number[];
  /** Whether pages of the range were left out to stay within the page limit. */
  truncated: boolean;
}

/**
 * The pages of a `count`-page document a job reads: its range (a `last` past the end reads to the
 * end), then at most `maxPages` of them, by failing (`fail`) or keeping the first ones (`first_pages`).
 */
export function selectPages(
  count: number,
  range: PageRange,
  maxPages: number,
  onPageLimit: 'fail' | 'first_pages',
): PageSelection {
  if (range.first > count) {
    throw new GantryError(
      'VALIDATION_FAILED',
      `pages.first is ${range.first}, but the document has ${count} page${count === 1 ? '' : 's'}`,
      { details: { pages: count } },
    );
  }
  const last = Math.min(range.last ?? count, count);
  const wanted = last - range.first + 1;
  if (wanted > maxPages && onPageLimit === 'fail') {
    throw new GantryError(
      'MEDIA_TOO_LARGE',
      `The document has ${wanted} pages to read, over the limit of ${maxPages}; read a range of pages, or ask for on_page_limit "first_pages"`,
      { details: { pages: wanted, max_pages: maxPages } },
    );
  }
  const kept = Math.min(wanted, maxPages);
  return { numbers: Array.from({ length: kept }, (_, i) => range.first + i), truncated: kept < wanted };
}
