// Rumbo's service worker, for meetings with a poor connection. It keeps the app shell and the tables of the
// snapshots already viewed: a table under a fixed snapshot id never changes, so a cached copy is always right.
// The page, the list of snapshots, manifests and meeting agendas go to the network first; when it is gone, the last answer is
// served, marked `X-Rumbo-Offline: 1` so the app can say "Sin conexión — datos al …". The workspace's calls
// (sessions, drafts, users, audit) are never cached. A new deployment is picked up on the next online visit: the
// page is network-first and every other asset has a hashed name; the previous deployment's assets are then
// deleted from the cache, so it never grows with each release. An answer marked `no-store` (a draft, anything of a
// private server) is never kept, and signing out (DELETE /api/session) empties the data cache.
const SHELL = 'rumbo-shell-v1';
// The pages of the workspace bundle (shared::api::WORKSPACE_PAGES): they share `workspace.html`; every other
// route of the app is `index.html`. One cached copy of each page.
const WORKSPACE_PAGES = ['/entrar', '/publicar', '/administrar', '/reunion', '/reunion/acuerdos', '/reunion/acta'];
const DATA = 'rumbo-data-v1';

self.addEventListener('install', () => self.skipWaiting());

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key !== SHELL && key !== DATA) await caches.delete(key);
    }
    await self.clients.claim();
  })());
});

/** A fixed snapshot's table (its first view, `?vista=inicio`, cached under its own URL), or a hashed asset of the
 * app: the same bytes forever. */
function immutable(url) {
  return /^\/api\/snapshots\/(?!current\/)[^/]+\/tables\/[^/]+$/.test(url.pathname)
    || /-[0-9a-f]{12,}(_bg)?\.(js|wasm|css)$/.test(url.pathname);
}

/** Whether the server forbids keeping this answer (drafts; everything on a private server). */
function keepable(response) {
  return response.ok && !/no-store/.test(response.headers.get('Cache-Control') || '');
}

async function marked(response) {
  const headers = new Headers(response.headers);
  headers.set('X-Rumbo-Offline', '1');
  return new Response(await response.blob(), { status: response.status, statusText: response.statusText, headers });
}

/** The cache key of a navigation: the page of its bundle. */
function shellKey(url) {
  const path = url.pathname.replace(/\/+$/, '');
  return new Request(self.location.origin + (WORKSPACE_PAGES.includes(path) ? '/reunion' : '/'));
}

/** Deletes cached hashed assets that neither cached page names any more (an earlier deployment's). */
async function prune() {
  const cache = await caches.open(SHELL);
  let page = '';
  for (const key of ['/', '/reunion']) {
    const hit = await cache.match(self.location.origin + key);
    if (hit) page += await hit.text();
  }
  for (const request of await cache.keys()) {
    const name = new URL(request.url).pathname.split('/').pop();
    const stem = name.replace(/(_bg)?\.(js|wasm|css)$/, '');
    if (immutable(new URL(request.url)) && !page.includes(stem)) await cache.delete(request);
  }
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === 'DELETE' && url.pathname === '/api/session') {
    // Signing out: what this account could read must not stay on the machine.
    event.waitUntil(caches.delete(DATA));
    return;
  }
  if (request.method !== 'GET') return;
  const api = url.pathname.startsWith('/api/');
  if (api && !url.pathname.startsWith('/api/snapshots') && !url.pathname.startsWith('/api/agendas')) return;
  const store = api ? DATA : SHELL;
  if (immutable(url)) {
    event.respondWith((async () => {
      const cache = await caches.open(store);
      const hit = await cache.match(request);
      if (hit) return hit;
      const response = await fetch(request);
      if (keepable(response)) await cache.put(request, response.clone());
      return response;
    })());
    return;
  }
  const key = request.mode === 'navigate' ? shellKey(url) : request;
  event.respondWith((async () => {
    const cache = await caches.open(store);
    try {
      const response = await fetch(request);
      if (keepable(response)) {
        await cache.put(key, response.clone());
        if (request.mode === 'navigate') event.waitUntil(prune());
      }
      return response;
    } catch (error) {
      const hit = await cache.match(key);
      if (hit) return marked(hit);
      throw error;
    }
  })());
});
