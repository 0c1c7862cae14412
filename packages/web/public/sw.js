// Steady's service worker: the app shell and the engine, so the lens and practice open offline.
// Hashed assets (/assets/*) never change: served from the cache once there. Pages are fetched fresh
// while the network answers, else the cached shell. The room's /api and /ws never pass through here.
const CACHE = 'steady-shell-v1';

self.addEventListener('install', (e) => {
  e.waitUntil(caches.open(CACHE).then((c) => c.add('/')));
  self.skipWaiting();
});

self.addEventListener('activate', (e) => {
  e.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

// The page names what it loaded (its scripts, styles, the engine worker, the other pages' chunks) and the
// engine the learned models it fetched: cached for offline use. Only what is not cached yet is fetched:
// the models are 1.3 MB, and a second copy written over the first could lose both if the network drops.
self.addEventListener('message', (e) => {
  const urls = Array.isArray(e.data?.cache) ? e.data.cache.filter((u) => typeof u === 'string') : [];
  const mine = urls.filter((u) => new URL(u, self.location.origin).origin === self.location.origin);
  if (!mine.length) return;
  e.waitUntil(
    caches
      .open(CACHE)
      .then(async (c) => {
        const missing = [];
        for (const u of mine) if (!(await c.match(u))) missing.push(u);
        return c.addAll(missing);
      })
      .catch(() => {}),
  );
});

self.addEventListener('fetch', (e) => {
  const req = e.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/') || url.pathname === '/ws') return;
  if (url.pathname.startsWith('/assets/')) {
    e.respondWith(
      caches.open(CACHE).then(async (c) => {
        const hit = await c.match(req);
        if (hit) return hit;
        const r = await fetch(req);
        if (r.ok) await c.put(req, r.clone());
        return r;
      }),
    );
    return;
  }
  if (req.mode === 'navigate') {
    e.respondWith(
      fetch(req)
        .then((r) => {
          if (r.ok) {
            const copy = r.clone();
            e.waitUntil(caches.open(CACHE).then((c) => c.put('/', copy)));
          }
          return r;
        })
        .catch(async () => (await caches.match('/')) ?? Response.error()),
    );
  }
});
