import { readFile } from 'node:fs/promises';
import { UsageError } from './exit-codes.js';

/** `--input '<json>'` or `--input @file.json`: the job input, an object. */
export async function readInput(value: string | undefined): Promise<Record<string, unknown>> {
  if (value === undefined) return {};
  let text = value;
  if (value.startsWith('@')) {
    try {
      text = await readFile(value.slice(1), 'utf8');
    } catch {
      throw new UsageError(`--input ${value}: cannot read ${value.slice(1)}`);
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--input is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UsageError('--input must be a JSON object, e.g. \'{"languages":["eng"]}\'');
  }
  return parsed as Record<string, unknown>;
}
