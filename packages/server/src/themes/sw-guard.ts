import type { FastifyRequest } from 'fastify';

/**
 * A theme can never capture the built-in UI (`/admin*`, `/terminal*`) with a service worker.
 *
 * Why it is needed: a theme's `dist/sw.js` is served at `/sw.js`, so the theme can register it
 * with scope `/`, which covers `/admin`. A PWA whose worker answers every navigation from its
 * cache (or a broken one that answers everything with an error) would then lock the admin out of
 * the very page where he could switch the theme back. No response header can narrow a worker's
 * scope to "`/` except `/admin`" (scopes are plain prefixes), and `Clear-Site-Data` would wipe
 * every visitor's storage (or, with "cookies", log everyone out), so the defence is in the worker:
 *
 * - Browsers fetch a worker's top-level script with the request header `Service-Worker: script`,
 *   and the modules a module worker imports with `Sec-Fetch-Dest: serviceworker`. Every theme
 *   file answered to such a request carries this guard in front of its own code (it installs
 *   itself once per worker; imported modules run first, so the first one to run installs it).
 *   Being first, the guard's
 *   `fetch` listener runs before any listener of the theme (event listeners run in the order they
 *   were added; `self.onfetch = …` is a listener added when first assigned, so also later).
 * - For a request that belongs to the built-in UI the guard calls `stopImmediatePropagation()`
 *   and not `respondWith()`: no theme listener sees the request and the browser goes to the
 *   network, so the admin gets the server's own answer. A request belongs to the built-in UI when
 *   its path starts with `/admin` or `/terminal` (the prefixes the server itself uses), or it is
 *   one of the built-in UI's own asset files (`/assets/<hashed name>`, listed into the guard);
 *   and, for requests other than navigations, when it comes from a window the guard saw navigate
 *   to the built-in UI (`resultingClientId`, remembered while the worker runs), or when its
 *   referrer is such a page or file (the page's API calls, also after the worker restarted).
 *   The admin's windows are still *controlled* by the theme's worker (a navigation in scope makes
 *   its page a client of the worker whether or not the worker answers), which is why its
 *   subresource requests must be recognised too.
 * - Chromium's static routing (`InstallEvent.addRoutes`) sends requests to a cache or the network
 *   without any fetch event; the guard turns it into a no-op, so every request reaches the guard.
 *   Themes lose nothing but that shortcut: their fetch listeners still see their own requests.
 * - Theme pages keep their worker: requests of the theme's own pages reach its listeners as before.
 *
 * Limits, said plainly: a module worker that imports a module from another origin, which adds a
 * fetch listener while it is being evaluated, runs that listener before the guard (only this
 * origin's files can carry the guard). Browsers that send neither header get no guard.
 * Beyond that: a theme's scripts run on this origin, so a malicious theme can do in the
 * admin's browser what the admin can; this guard (like the no-framing headers on the built-in UI)
 * keeps the admin panel reachable and unframed, it is not a sandbox. Install trusted themes only.
 */
export function serviceWorkerGuard(builtInAssets: readonly string[]): string {
  return `/* komari-ts: the built-in UI (/admin, /terminal) is never answered by a theme's worker */
(() => {
  const g = self;
  const mark = Symbol.for('komari-ts.sw-guard');
  if (g[mark]) return;
  Object.defineProperty(g, mark, { value: true });
  const stop = Event.prototype.stopImmediatePropagation;
  const assets = new Set(${JSON.stringify(builtInAssets)});
  const builtInClients = new Set();
  const builtIn = (path) => path.startsWith('/admin') || path.startsWith('/terminal') || assets.has(path);
  const ownPath = (url) => {
    try {
      const u = new URL(url, g.location.href);
      return u.origin === g.location.origin ? u.pathname : '';
    } catch {
      return '';
    }
  };
  const mine = (event) => {
    const request = event.request;
    if (builtIn(ownPath(request.url))) return true;
    // A navigation is the new page's own request: where it comes from does not make it the admin's.
    if (request.mode === 'navigate') return false;
    if (event.clientId && builtInClients.has(event.clientId)) return true;
    const referrer = request.referrer ? ownPath(request.referrer) : '';
    return referrer !== '' && builtIn(referrer);
  };
  g.addEventListener('fetch', (event) => {
    if (!mine(event)) return;
    if (event.resultingClientId) builtInClients.add(event.resultingClientId);
    stop.call(event);
  });
  const install = g.InstallEvent && g.InstallEvent.prototype;
  if (install && 'addRoutes' in install) {
    Object.defineProperty(install, 'addRoutes', { value: () => Promise.resolve(), writable: false, configurable: false });
  }
})();
`;
}

/**
 * True when the browser fetches this file as (part of) a service worker's script: the top-level
 * script comes with `Service-Worker: script`; the modules a module worker imports come without
 * it (Chromium 156) but with `Sec-Fetch-Dest: serviceworker`, and since imported modules run
 * before the importing one, each of them needs the guard too.
 */
export function fetchedAsServiceWorker(request: FastifyRequest): boolean {
  const h = (name: string) => String(request.headers[name] ?? '').trim().toLowerCase();
  return h('service-worker') === 'script' || h('sec-fetch-dest') === 'serviceworker';
}
