import { GantryApiError } from '@gantry/client';
import { h } from '../dom.js';
import { clientFor } from '../session.js';

/**
 * The sign-in form: an API key, checked against the gateway (a key without the `jobs` scope or a revoked
 * one is refused here, with the API's code) before `onSignedIn` keeps it.
 */
export function signInView(onSignedIn: (key: string) => void): HTMLElement {
  const key = h('input', {
    id: 'api-key',
    name: 'api-key',
    type: 'password',
    autocomplete: 'off',
    required: true,
    'aria-describedby': 'api-key-help',
  });
  const problem = h('p', { class: 'error', role: 'alert' });
  const form = h(
    'form',
    {
      class: 'sign-in',
      'aria-labelledby': 'sign-in-title',
      onsubmit: (event: Event) => {
        event.preventDefault();
        problem.textContent = '';
        const value = key.value.trim();
        clientFor(value)
          .workers()
          .then(
            () => onSignedIn(value),
            (error: unknown) => {
              problem.textContent =
                error instanceof GantryApiError
                  ? `${error.code}: ${error.message}`
                  : `Could not reach the gateway: ${String(error)}`;
              key.focus();
            },
          );
      },
    },
    h('h1', { id: 'sign-in-title' }, 'Sign in'),
    h('label', { for: 'api-key' }, 'API key'),
    key,
    h(
      'p',
      { id: 'api-key-help', class: 'help' },
      'A key with the jobs scope (gk_…). It stays in this tab only (sessionStorage) and goes to this gateway alone.',
    ),
    h('button', { type: 'submit' }, 'Sign in'),
    problem,
  );
  return form;
}
