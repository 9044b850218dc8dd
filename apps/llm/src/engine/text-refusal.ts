import { GantryError } from '@gantry/contracts';

/**
 * The worker's refusal of a text the gateway could not check (a file's, or a direct caller's of an
 * engine): VALIDATION_FAILED with an issue shaped like the gateway's own for an inline `text`, so one
 * condition has one code whichever side finds it.
 */
export function textRefusal(
  path: readonly (string | number)[],
  message: string,
  details: Record<string, unknown> = {},
): GantryError {
  return new GantryError('VALIDATION_FAILED', message, {
    details: { ...details, issues: [{ path: [...path], message, code: 'custom' }] },
  });
}

/** The contracts' own check of an inline `text` (languageText), for a text read past the gateway. */
export function requireText(text: string, path: readonly (string | number)[] = ['text']): void {
  if (text.trim() === '') throw textRefusal(path, 'text must not be empty or whitespace');
}
