// GreenWatch service worker.
//
// The build step (scripts/sw-precache.sh, a trunk post_build hook) replaces
// the two placeholders below with the build's id and the exact list of files
// trunk produced, hashed names included: Home's build (the citizen app's
// first load) and the builds under /report/, /follow/, /sync/ and /learn/.
// This file is never edited to list files by hand.
//
// Invariants:
// - the cache is named after the build; activating a build deletes the others;
// - nothing under /api/ or /open311/ is ever answered from a cache;
// - a new build waits until the page, with the person's consent, posts
//   "skip-waiting" (see src/sw_client.rs).
'use strict';

const BUILD_ID = '__GREENWATCH_BUILD_ID__';
// Not all of it is the first load: the worker installs after Home has
// started, and then caches the report form's, the follow-up pages', the
// sync engine's and Learn's builds too, so every page opens, and Home can
// start sending, with no network at all.
const PRECACHE = __GREENWATCH_PRECACHE__;
const CACHE_PREFIX = 'greenwatch-';
const CACHE_NAME = CACHE_PREFIX + BUILD_ID;
const INDEX = '/index.html';

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE_NAME).then((cache) =>
      // Through the HTTP cache, which follows the server's Cache-Control:
      // trunk's fingerprinted files (the wasm, its glue, the CSS) are
      // immutable under their names, so the copies the page has just loaded
      // are this build's and are not downloaded a second time; index.html,
      // the manifest and this worker are no-store, anything else (the icons)
      // is revalidated with the server.
      cache.addAll(PRECACHE)
    )
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((name) => name.startsWith(CACHE_PREFIX) && name !== CACHE_NAME)
            .map((name) => caches.delete(name))
        )
      )
      .then(() => self.clients.claim())
  );
});

self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') {
    self.skipWaiting();
  }
});

// Background Sync (Chromium): the page registered 'greenwatch-sync' when it
// could not reach the server; the browser fires this once it is online
// again. The sync engine runs in the page (src/sync/; on Home, from its own
// build, loaded when something waits), so the worker only wakes the open
// pages; with none open, reports go at the next start.
self.addEventListener('sync', (event) => {
  if (event.tag !== 'greenwatch-sync') return;
  event.waitUntil(
    self.clients
      .matchAll({ type: 'window' })
      .then((clients) => clients.forEach((client) => client.postMessage('greenwatch-sync')))
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  // The API and the Open311 endpoint always go to the network: no cached
  // answer, ever. The staff console (/staff/) is its own build, and the
  // transparency page is rendered by the server: neither is cached here.
  if (/^\/(api|open311|staff)(\/|$)/.test(url.pathname)) return;
  if (url.pathname === '/transparency' || url.pathname === '/transparency/') return;

  if (request.mode === 'navigate') {
    // A page is its build's index.html.
    event.respondWith(fromCache(entryPoint(url.pathname)).then((cached) => cached || fetch(request)));
    return;
  }
  event.respondWith(fromCache(url.pathname).then((cached) => cached || fetch(request)));
});

// The index.html of the build that renders a page. The same map as the
// server's (server/src/static_files.rs, `entry_point`) and the app's
// (src/router.rs, `Route::entry`); e2e/tests/offline.spec.ts opens every page
// through this worker with the network cut.
function entryPoint(path) {
  const under = (prefix) => path === prefix || path.startsWith(prefix + '/');
  if (under('/learn')) return '/learn/index.html';
  if (under('/report')) return '/report/index.html';
  if (under('/reports') || under('/cases') || under('/about')) return '/follow/index.html';
  return INDEX;
}

function fromCache(path) {
  return caches.open(CACHE_NAME).then((cache) => cache.match(path));
}
