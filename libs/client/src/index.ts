import { openAsBlob } from 'node:fs';
import path from 'node:path';
import { type ClientOptions, GantryClient as BrowserClient } from './gantry-client.js';

export * from './browser.js';

/**
 * The client in Node: where the options leave them out, the gateway is `GANTRY_URL` (default
 * `http://127.0.0.1:8080`) and the key `GANTRY_API_KEY`.
 */
export class GantryClient extends BrowserClient {
  constructor(options: ClientOptions = {}) {
    const apiKey = options.apiKey ?? process.env['GANTRY_API_KEY'];
    super({
      ...options,
      url: options.url ?? process.env['GANTRY_URL'] ?? 'http://127.0.0.1:8080',
      ...(apiKey ? { apiKey } : {}),
    });
  }
}

/** A file on disk as a File for `run`/`submit`'s `file`, read as it is sent rather than all at once. */
export async function fileFromPath(filePath: string): Promise<File> {
  return new File([await openAsBlob(filePath)], path.basename(filePath));
}
