import type { CatalogueEntry, ValidationIssue } from '../catalogue/catalogue-entry.js';
import { referencesIn } from './pipeline-reference.js';

/**
 * What a step's job type says of the fields of its input that hold no reference: the orchestrator
 * passes them on as they are, so the check it makes of the built input would refuse them at run time.
 * Only issues inside those fields count: a field with a reference gets its value at run time, and an
 * issue about a field left out or the input as a whole is the definition's own checks' to report.
 * Where some fields are references, a refinement's issue (`custom`) is not trusted either: it may
 * weigh fields that are not there yet.
 */
export function literalInputIssues(entry: CatalogueEntry, input: Record<string, unknown>): ValidationIssue[] {
  const literal = Object.fromEntries(
    Object.entries(input).filter(([, value]) => referencesIn(value).length === 0),
  );
  const complete = Object.keys(literal).length === Object.keys(input).length;
  const result = entry.validate(literal);
  if (result.ok) return [];
  return result.issues.filter(
    ({ path: [field], code }) =>
      typeof field === 'string' && Object.hasOwn(literal, field) && (complete || code !== 'custom'),
  );
}
