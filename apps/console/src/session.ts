import { GantryClient } from '@gantry/client';

const storageKey = 'gantry.apiKey';

/**
 * The signed-in key, kept in sessionStorage: it lives as long as the tab and is never written to disk by
 * the console, nor sent anywhere but this gateway (the page's own origin).
 */
export const session = {
  key: (): string | null => sessionStorage.getItem(storageKey),
  signIn: (key: string): void => sessionStorage.setItem(storageKey, key),
  signOut: (): void => sessionStorage.removeItem(storageKey),
};

export const clientFor = (apiKey: string): GantryClient => new GantryClient({ apiKey });

/** A plain GET with the key, for what the SDK does not cover (`/metrics`, a blob's bytes). */
export function authorizedFetch(apiKey: string, path: string, signal?: AbortSignal): Promise<Response> {
  return fetch(path, { headers: { authorization: `Bearer ${apiKey}` }, signal });
}
