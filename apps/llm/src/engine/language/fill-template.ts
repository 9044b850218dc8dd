const placeholder = /\{\{\s*([a-z_]+)\s*(?:\|([^{}]*))?\}\}/g;

/**
 * Fills `{{name}}` and `{{name|fallback}}`: a value wins, else the fallback, else nothing.
 * Returns the names that had no value (the reply then reads generic there).
 */
export function fillTemplate(
  template: string,
  values: Readonly<Partial<Record<string, string>>>,
): { text: string; unfilled: string[] } {
  const unfilled: string[] = [];
  const text = template.replace(placeholder, (_match, name: string, fallback: string | undefined) => {
    const value = values[name];
    if (value !== undefined && value !== '') return value;
    unfilled.push(name);
    return fallback ?? '';
  });
  return { text: text.replace(/[ \t]{2,}/g, ' ').replace(/ +([.,;])/g, '$1'), unfilled };
}
