/**
 * The value KEDA's metrics-api scaler reads with `format: prometheus`: the first sample of the family named by
 * the selector whose labels include every `label="value"` of the selector (other labels, such as the
 * registry's `service`, may be there too). Null when no sample matches.
 */
export function prometheusSample(exposition: string, selector: string): number | null {
  const parsed = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?$/.exec(selector.trim());
  if (!parsed) throw new Error(`not a metric selector: ${selector}`);
  const [, name, matchers = ''] = parsed;
  const wanted = labels(matchers);
  for (const line of exposition.split('\n')) {
    if (line.startsWith('#')) continue;
    const sample = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!sample || sample[1] !== name) continue;
    const have = labels(sample[2] ?? '');
    if (Object.entries(wanted).every(([key, value]) => have[key] === value)) return Number(sample[3]);
  }
  return null;
}

function labels(text: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const match of text.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) found[match[1] ?? ''] = match[2] ?? '';
  return found;
}
