/** One step of a reference's path: a property, a list index, or `*` (every element of a list). */
export type PathSegment = string | number | '*';

export type Reference =
  | { source: 'input'; path: PathSegment[] }
  | { source: 'item'; path: PathSegment[] }
  | { source: 'run'; path: PathSegment[] }
  | { source: 'step'; step: string; path: PathSegment[] };

const referencePattern =
  /^\$(input|item|run|steps\.([a-z][a-z0-9_-]*)\.output)((?:\.[A-Za-z_][A-Za-z0-9_-]*|\[\*\]|\[\d+\])*)$/;
const segmentPattern = /\.([A-Za-z_][A-Za-z0-9_-]*)|\[(\*|\d+)\]/g;

const isReference = (value: unknown): value is string => typeof value === 'string' && value.startsWith('$');

/** Parses `$input.a`, `$item.b[0]`, `$run.id`, `$steps.ocr.output.pages[*].text`; null when it is none of these. */
export function parseReference(text: string): Reference | null {
  const match = referencePattern.exec(text);
  if (!match) return null;
  const path: PathSegment[] = [];
  for (const [, name, index] of (match[3] ?? '').matchAll(segmentPattern)) {
    if (name !== undefined) path.push(name);
    else path.push(index === '*' ? '*' : Number(index));
  }
  if (match[1] === 'input') return { source: 'input', path };
  if (match[1] === 'item') return { source: 'item', path };
  if (match[1] === 'run') return { source: 'run', path };
  return { source: 'step', step: match[2] as string, path };
}

/** The value at `path` in `value`; undefined where the path leads nowhere. `*` maps over a list. */
function valueAt(value: unknown, path: readonly PathSegment[]): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return value;
  if (head === '*') return Array.isArray(value) ? value.map((element) => valueAt(element, rest)) : undefined;
  if (typeof head === 'number') return Array.isArray(value) ? valueAt(value[head], rest) : undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return Object.hasOwn(value, head) ? valueAt((value as Record<string, unknown>)[head], rest) : undefined;
}

/**
 * The value at `path` in a job's output, `path` written as in a step reference after `output`
 * (`text`, `pages[0].text`); undefined where it leads nowhere or is no such path.
 */
export function valueAtOutputPath(output: unknown, path: string): unknown {
  const reference = parseReference(`$input.${path}`);
  return reference ? valueAt(output, reference.path) : undefined;
}

/** What `$run` names: the run itself (its id, for a message that must say which run it is about). */
interface RunFacts {
  id: string;
}

export interface MappingScope {
  run: RunFacts;
  input: unknown;
  steps: ReadonlyMap<string, unknown>;
  item?: unknown;
}

/**
 * Builds a value from a mapping: references are replaced by what they point to, other values are kept;
 * an object's property whose reference leads nowhere is left out (so an optional input stays optional).
 */
export function resolveMapping(mapping: unknown, scope: MappingScope): unknown {
  if (isReference(mapping)) {
    const reference = parseReference(mapping);
    if (!reference) return undefined;
    if (reference.source === 'input') return valueAt(scope.input, reference.path);
    if (reference.source === 'item') return valueAt(scope.item, reference.path);
    if (reference.source === 'run') return valueAt(scope.run, reference.path);
    return valueAt(scope.steps.get(reference.step), reference.path);
  }
  if (Array.isArray(mapping)) return mapping.map((element) => resolveMapping(element, scope));
  if (typeof mapping === 'object' && mapping !== null) {
    const built: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(mapping)) {
      const resolved = resolveMapping(value, scope);
      if (resolved !== undefined) built[key] = resolved;
    }
    return built;
  }
  return mapping;
}

/** Every reference in a mapping, with its path inside the mapping (for error reports). */
export function referencesIn(
  mapping: unknown,
  at: (string | number)[] = [],
): { text: string; at: (string | number)[] }[] {
  if (isReference(mapping)) return [{ text: mapping, at }];
  if (Array.isArray(mapping)) return mapping.flatMap((element, i) => referencesIn(element, [...at, i]));
  if (typeof mapping === 'object' && mapping !== null) {
    return Object.entries(mapping).flatMap(([key, value]) => referencesIn(value, [...at, key]));
  }
  return [];
}
