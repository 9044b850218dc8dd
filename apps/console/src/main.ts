import { GantryApiError } from '@gantry/client';
import { h } from './dom.js';
import { authorizedFetch, clientFor, session } from './session.js';
import type { ViewContext } from './view-context.js';
import { jobView } from './views/job-view.js';
import { jobsView } from './views/jobs-view.js';
import { queuesView } from './views/queues-view.js';
import { signInView } from './views/sign-in-view.js';
import { submitView } from './views/submit-view.js';

type View = (ctx: ViewContext) => Promise<HTMLElement>;

/** Hash routes: the gateway serves one page, so a reload or a shared link never asks it for `/console/jobs/…`. */
const routes: { pattern: RegExp; view: View; nav: string }[] = [
  { pattern: /^#\/jobs\/([^/?]+)/, view: jobView, nav: 'jobs' },
  { pattern: /^#\/submit/, view: submitView, nav: 'submit' },
  { pattern: /^#\/queues/, view: queuesView, nav: 'queues' },
  { pattern: /^(#\/jobs)?/, view: jobsView, nav: 'jobs' },
];

const main = document.getElementById('main') as HTMLElement;
const nav = document.getElementById('nav') as HTMLElement;
let leave = new AbortController();
let platform: boolean | null = null;

/** Whether the key may read `/metrics`: the one `platform`-only read, so it tells the scope without a side effect. */
async function hasPlatformScope(apiKey: string): Promise<boolean> {
  const response = await authorizedFetch(apiKey, '/metrics').catch(() => null);
  await response?.body?.cancel();
  return response?.ok ?? false;
}

function renderNav(current: string | null): void {
  const link = (name: string, href: string, text: string) =>
    h('a', { href, 'aria-current': name === current ? 'page' : false }, text);
  nav.replaceChildren(
    ...(current === null
      ? []
      : [
          link('jobs', '#/jobs', 'Jobs'),
          link('submit', '#/submit', 'Submit'),
          link('queues', '#/queues', 'Workers & queues'),
          h(
            'button',
            {
              type: 'button',
              onclick: () => {
                session.signOut();
                platform = null;
                void render(true);
              },
            },
            'Sign out',
          ),
        ]),
  );
}

/** `moveFocus`: after a navigation (not a page load), focus goes to the new view, where a keyboard user reads on. */
async function render(moveFocus: boolean): Promise<void> {
  leave.abort();
  leave = new AbortController();
  const apiKey = session.key();
  if (!apiKey) {
    renderNav(null);
    main.replaceChildren(
      signInView((key) => {
        session.signIn(key);
        void render(true);
      }),
    );
    document.getElementById('api-key')?.focus();
    return;
  }
  platform ??= await hasPlatformScope(apiKey);
  const hash = location.hash;
  const route = routes.find((r) => r.pattern.test(hash)) ?? routes[routes.length - 1];
  if (!route) return;
  renderNav(route.nav);
  const param = decodeURIComponent(route.pattern.exec(hash)?.[1] ?? '');
  const query = new URLSearchParams(hash.split('?')[1] ?? '');
  const ctx: ViewContext = {
    client: clientFor(apiKey),
    apiKey,
    platform,
    signal: leave.signal,
    param,
    query,
  };
  main.setAttribute('aria-busy', 'true');
  try {
    const view = await route.view(ctx);
    if (!ctx.signal.aborted) main.replaceChildren(view);
  } catch (error) {
    // A key revoked since sign-in: back to the sign-in form rather than an error on every page.
    if (error instanceof GantryApiError && error.status === 401) {
      session.signOut();
      platform = null;
      void render(true);
      return;
    }
    if (!ctx.signal.aborted) {
      main.replaceChildren(
        h('p', { class: 'error', role: 'alert' }, error instanceof Error ? error.message : String(error)),
      );
    }
  } finally {
    main.removeAttribute('aria-busy');
  }
  if (moveFocus && !ctx.signal.aborted) main.focus();
}

window.addEventListener('hashchange', () => void render(true));
void render(false);
