// Cửa Số's service worker: pages opened once open again with no network.
//
// A template: scripts/make-sw.sh writes dist/sw.js from it at build time,
// filling in the lists below from the build's files (README, "Offline").
// Plain JS, no libraries. Only same-origin GETs are handled:
//
//   navigations            the shell saved at install (this build's), else the
//                          network; either way with the update prompt's script
//                          added, which asks for a new sw.js after every load
//   hashed code            cache first                cuaso-code-VERSION
//   fixed-name code        cache first, else network  cuaso-code-VERSION, and only
//                          if its bytes are this build's (HASH)
//   /public/**             cache first, refreshed after a day     cuaso-media
//                          (a byte range, as <audio> asks: cut from the whole
//                          file, which is fetched and kept, so it plays offline)
//   public API reads       network first (6 s)        cuaso-data, with X-Cuaso-Saved
//   everything else        network only: dossiers, uploads, officer routes,
//                          anything sent with a secret, POSTs, …
//
// When neither the network nor these caches have an answer, the browser's
// HTTP cache is asked (only-if-cached): what the first visit loaded before
// this worker ran is still there, so that page opens again offline too.
'use strict';

// What a first visit loads: "/" (the shell) first. Saved at install.
const PRECACHE = /*PRECACHE*/[];
// Changes with every build: a hash of this file and the built files.
const VERSION = '/*VERSION*/';
// This build's lazy code: path -> the first 16 hex digits of its SHA-256.
const HASH = /*HASH*/{};
// What a lazy wasm file loads with it: path -> paths (from __wasm_split.js).
const DEPS = /*DEPS*/{};
// The update prompt (sw/update.js), added to the pages this worker serves
// so that it never weighs on a first visit. Precached.
const UPDATE = '/*UPDATE*/';

const SHELL = `cuaso-shell-${VERSION}`;
const CODE = `cuaso-code-${VERSION}`;
const DATA = 'cuaso-data'; // kept across versions: the last answers seen
const MEDIA = 'cuaso-media'; // kept across versions
// Which public reads each page made last (page path -> [[url, language]]),
// so that its next visit asks for them while the wasm starts (see 'page').
const ASKS = 'cuaso-asks'; // kept across versions
const KEEP = [SHELL, CODE, DATA, MEDIA, ASKS];
const DAY = 864e5;

// API reads that hold no personal data (never dossiers: see `kind`).
const API = /^\/api\/v1\/(config|fields|procedures|products|sites)(\/|$)/;
// Content-hashed names (Trunk's, build.rs's): name-<hex>[_bg].ext
const HASHED = /-[0-9a-f]{12,16}(_bg)?\.(js|wasm|css|txt)$/;

const pathOf = (u) => new URL(u, location.href).pathname;

// The rule a request falls under; undefined: not ours, network only.
function kind(req) {
  const url = new URL(req.url);
  const p = url.pathname;
  const h = req.headers;
  if (req.method !== 'GET' || url.origin !== location.origin) return;
  // A byte range: only of media (a recording), answered from the whole file.
  if (h.has('range') && !p.startsWith('/public/')) return;
  if (h.has('authorization') || h.has('x-dossier-secret') || h.has('x-cuaso-secret')) return;
  if (req.mode === 'navigate') return /^\/(api|public)\//.test(p) ? undefined : 'page';
  if (API.test(p)) return 'data';
  if (p.startsWith('/public/')) return 'media';
  if (HASHED.test(p)) return 'code';
  if (HASH[p]) return 'fixed';
}

// The first of these caches that holds `req`.
async function saved(req, ...names) {
  for (const cacheName of names) {
    const r = await caches.match(req, { cacheName });
    if (r) return r;
  }
}

async function sha16(res) {
  const d = await crypto.subtle.digest('SHA-256', await res.arrayBuffer());
  return [...new Uint8Array(d, 0, 8)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

// A copy of `res` with extra headers.
async function copy(res, extra) {
  const h = new Headers(res.headers);
  for (const k in extra) h.set(k, extra[k]);
  return new Response(await res.blob(), { status: res.status, statusText: res.statusText, headers: h });
}

// Keeps the `max` newest entries of a cache (keys() lists the oldest first).
async function trim(name, max) {
  const c = await caches.open(name);
  const keys = await c.keys();
  for (const k of keys.slice(0, Math.max(0, keys.length - max))) await c.delete(k);
}

// Stores a 200 answer under the rule `k`; false when it may not be kept.
async function save(k, req, res) {
  if (res.status !== 200 || res.type !== 'basic' || /no-store/i.test(res.headers.get('cache-control'))) return false;
  const p = pathOf(req.url);
  if (HASH[p]) {
    // Already kept: only this build's bytes ever are.
    if (await saved(req, SHELL, CODE)) return true;
    // A fixed-name file of another build (a deploy since this worker
    // installed) must never be mixed with this build's code.
    if ((await sha16(res.clone())) !== HASH[p]) return false;
  }
  if (k === 'code' || k === 'fixed') {
    await (await caches.open(CODE)).put(req, res);
    return true;
  }
  if (k !== 'data' && k !== 'media') return false;
  // When the answer was made: the page shows "saved copy" when it sees this.
  const at = new Date(Date.parse(res.headers.get('date')) || Date.now()).toISOString();
  const extra = { 'X-Cuaso-Saved': at };
  // One copy per Accept-Language the app asked in.
  if (k === 'data') extra.Vary = [res.headers.get('vary'), 'Accept-Language'].filter(Boolean).join(', ');
  const name = k === 'data' ? DATA : MEDIA;
  await (await caches.open(name)).put(req, await copy(res, extra));
  await trim(name, k === 'data' ? 300 : 200);
  return true;
}

// The browser's HTTP cache, however old the entry (the first visit's files
// and answers); kept under the rule `k` and answered as kept.
async function fromHttpCache(k, req) {
  const init = { headers: req.headers, cache: 'only-if-cached', mode: 'same-origin' };
  const r = await fetch(new Request(req.url, init)).catch(() => undefined);
  if (!r || !(await save(k, req, r.clone()).catch(() => false))) return;
  return k === 'data' || k === 'media' ? saved(req, k === 'data' ? DATA : MEDIA) : r;
}

// The network's answer; on failure or a 5xx, `stored()` if it has one;
// after `ms`, `late()` if it has one (else the network is waited for).
function networkFirst(net, ms, stored, late = stored) {
  return new Promise((resolve, reject) => {
    const fall = async (get, why) => {
      const r = await get().catch(() => undefined);
      if (r) resolve(r);
      else if (why) why instanceof Response ? resolve(why) : reject(why);
    };
    const t = setTimeout(() => fall(late), ms);
    net.then(
      (r) => { clearTimeout(t); r.status >= 500 ? fall(stored, r) : resolve(r); },
      (e) => { clearTimeout(t); fall(stored, e); },
    );
  });
}

// `res` with the update prompt's script, when it is the shell.
async function withPrompt(res) {
  if (res.status !== 200 || !/^text\/html/.test(res.headers.get('content-type'))) return res;
  const html = await res.clone().text();
  const i = html.indexOf('</head>');
  if (i < 0) return res;
  const h = new Headers(res.headers);
  h.delete('content-length');
  h.delete('content-encoding');
  const tag = `<script type="module" src="${UPDATE}"></script>`;
  return new Response(html.slice(0, i) + tag + html.slice(i), { status: 200, statusText: res.statusText, headers: h });
}

// Pages this worker opened with its saved shell (the network failed or was
// slow): they run this build, so their fixed-name code must be this build's
// too, never a newer deploy's from the network. Lost when the worker stops;
// the network's answer is then taken as before.
const OWN = new Set();

// Reads started for a page the worker is opening: `url|language` ->
// {net, at}. Taken once by the page's own request within 10 s.
const EARLY = new Map();
const early = (url, lang) => `${url}|${lang || ''}`;

// The page's own read: remembered for its path (a few per page).
async function remember(clientId, req) {
  // Not searches: the next visit is unlikely to repeat them.
  if (/[?&](q|page)=/.test(req.url)) return;
  const client = clientId && (await self.clients.get(clientId));
  if (!client) return;
  const page = new URL(client.url).pathname;
  const cache = await caches.open(ASKS);
  const old = await cache.match(page);
  const asks = old ? await old.json() : [];
  const ask = [req.url, req.headers.get('accept-language') || ''];
  if (asks.some((a) => a[0] === ask[0] && a[1] === ask[1])) return;
  asks.unshift(ask);
  await cache.put(page, new Response(JSON.stringify(asks.slice(0, 4))));
  await trim(ASKS, 200);
}

// Starts the reads the page at `page` made last time.
async function askEarly(page) {
  const r = await caches.match(page, { cacheName: ASKS });
  if (!r) return;
  const now = Date.now();
  for (const [key, got] of EARLY) if (now - got.at > 10_000) EARLY.delete(key);
  for (const [url, lang] of await r.json()) {
    const req = new Request(url, { headers: lang ? { 'Accept-Language': lang } : {} });
    if (kind(req) !== 'data') continue;
    const net = fetch(req);
    net.catch(() => {});
    EARLY.set(early(url, lang), { net, at: now });
  }
}

async function handle(e, k) {
  const req = e.request;
  const keep = (res) => { e.waitUntil(save(k, req, res.clone()).catch(() => {})); return res; };
  const or = (get) => async () => (await get()) || fromHttpCache(k, req);
  if (k === 'page') {
    // The shell saved at install: the app opens every route from it, with no
    // round trip, and the page runs this build, whose lazy code is saved too
    // (a repeat visit needs no network before its data). A new deploy is
    // found by update.js after the load and offered, never mixed in. Without
    // a saved shell: the server's for this path.
    const mine = async () => {
      const r = await saved('/', SHELL);
      if (r && e.resultingClientId) OWN.add(e.resultingClientId);
      return r;
    };
    // Digital Links the server itself answers (a `linkType`, or a prefix path
    // it redirects to the root form) still ask it first.
    const url = new URL(req.url);
    const server = /linkType=/.test(url.search) || /^\/.+\/01\/\d/.test(url.pathname);
    const r = server ? undefined : await mine();
    // Its data is asked for now, while the page starts, not after.
    if (r) await askEarly(url.pathname).catch(() => {});
    return withPrompt(r || (await networkFirst(fetch(req), 4000, mine)));
  }
  const own = () => saved(req, SHELL, CODE);
  if (k === 'fixed') {
    // Saved only when its bytes are this build's: the pages this worker
    // serves run this build (see 'page'), so its own copy is the right one.
    const r = await own();
    if (r) return r;
  }
  if (k === 'fixed' && OWN.has(e.clientId)) {
    // Never another build's bytes for a page of this build: an error instead
    // (the page says it could not load; the update prompt offers the reload).
    const r = await own();
    if (r) return r;
    // Offline, the browser's HTTP cache, if it holds this build's bytes.
    const res = await fetch(req).catch(() => undefined);
    if (!res) return (await fromHttpCache(k, req)) || Response.error();
    return (await save(k, req, res.clone())) ? res : new Response('', { status: 503, statusText: 'Another build' });
  }
  if (k === 'data' || k === 'fixed') {
    let started;
    if (k === 'data') {
      e.waitUntil(remember(e.clientId, req).catch(() => {}));
      const key = early(req.url, req.headers.get('accept-language'));
      const got = EARLY.get(key);
      EARLY.delete(key);
      if (got && Date.now() - got.at < 10_000) started = got.net;
    }
    const net = (started || fetch(req)).then(keep);
    e.waitUntil(net.catch(() => {})); // saved even when the copy answered first
    if (k === 'data') return networkFirst(net, 6000, or(() => saved(req, DATA)));
    // Same name in every build: ask the server first, so that a page of a
    // newer build never gets this build's chunk. When slow, the saved one
    // only while no newer worker waits (the page may be of that build).
    const newer = () => self.registration.waiting || self.registration.installing;
    return networkFirst(net, 4000, or(own), () => (newer() ? Promise.resolve() : own()));
  }
  if (k === 'media' && req.headers.has('range')) return ranged(e, req);
  // Hashed code and media: cache first.
  const r = await (k === 'code' ? own() : saved(req, MEDIA, SHELL));
  if (!r) return fetch(req).then(keep, async (err) => (await fromHttpCache(k, req)) || Promise.reject(err));
  // A photo saved more than a day ago is refreshed for next time.
  if (k === 'media' && Date.now() - Date.parse(r.headers.get('x-cuaso-saved')) > DAY) {
    e.waitUntil(fetch(req).then(keep).catch(() => {}));
  }
  return r;
}

// A byte range of a media file (an audio guide): cut from the whole file,
// saved or fetched whole and kept like a photo, so that a recording played
// or downloaded once plays again offline.
async function ranged(e, req) {
  const whole = new Request(req.url);
  let r = await saved(whole, MEDIA);
  if (!r) {
    r = await fetch(whole).catch(() => undefined);
    if (r && r.status === 200) e.waitUntil(save('media', whole, r.clone()).catch(() => {}));
    else if (r) return r;
    else r = await fromHttpCache('media', whole);
    if (!r) return Response.error();
  }
  const body = await r.arrayBuffer();
  const size = body.byteLength;
  const m = /^bytes=(\d*)-(\d*)$/.exec(req.headers.get('range').trim());
  let start = m && m[1] ? Number(m[1]) : 0;
  let end = m && m[2] ? Math.min(Number(m[2]), size - 1) : size - 1;
  if (m && !m[1] && m[2]) [start, end] = [Math.max(0, size - Number(m[2])), size - 1];
  if (!m || (!m[1] && !m[2]) || start > end) {
    return new Response(null, { status: 416, headers: { 'Content-Range': `bytes */${size}` } });
  }
  const h = new Headers(r.headers);
  h.delete('content-encoding');
  h.set('Content-Range', `bytes ${start}-${end}/${size}`);
  h.set('Content-Length', String(end - start + 1));
  return new Response(body.slice(start, end + 1), { status: 206, headers: h });
}

self.addEventListener('fetch', (e) => {
  const k = kind(e.request);
  if (k) e.respondWith(handle(e, k));
});

// Fetches `p` and stores it under its rule; true when kept.
async function fetchAndSave(p, init) {
  const req = new Request(new URL(p, location.href), init);
  const k = kind(req);
  if (!k || k === 'page') return false;
  if (k === 'code' && (await saved(req, SHELL, CODE))) return true;
  return save(k, req, await fetch(req, { cache: k === 'code' ? 'default' : 'no-cache' }));
}

self.addEventListener('install', (e) => {
  e.waitUntil((async () => {
    // Hashed files may come from the HTTP cache (the visit just loaded
    // them); the shell and the chunk loader are asked of the server.
    const got = await Promise.all(PRECACHE.map(async (p) => {
      const res = await fetch(p, { cache: HASHED.test(p) ? 'default' : 'no-cache' });
      if (!res.ok) throw new Error(`${p}: ${res.status}`);
      if (HASH[p] && (await sha16(res.clone())) !== HASH[p]) throw new Error(`${p}: another build`);
      return [p, res];
    }));
    // A shell of another build (deployed during the install) loads other
    // files: fail, and the next update check installs the right worker.
    const html = await got[0][1].clone().text();
    if (!PRECACHE.every((p) => !/\.(js|wasm|css)$/.test(p) || HASH[p] || p === UPDATE || html.includes(p))) {
      throw new Error('the shell is of another build');
    }
    const shell = await caches.open(SHELL);
    for (const [p, res] of got) await shell.put(p, res);
    await carryOver();
    await fromThisVisit();
    // The first worker takes over at once. An update waits until the page
    // says {type: 'skip-waiting'}, so that a page never mixes two builds.
    if (!self.registration.active) self.skipWaiting();
  })());
});

// An update keeps what the previous build had for offline use: the same
// lazy pages (this build's files for them, chunks included) and languages.
async function carryOver() {
  const want = new Set();
  for (const name of await caches.keys()) {
    if (!name.startsWith('cuaso-code-') || name === CODE) continue;
    for (const req of await (await caches.open(name)).keys()) {
      const p = pathOf(req.url);
      const lang = /^\/strings-([a-z]+)-/.exec(p);
      const now = lang ? Object.keys(HASH).find((f) => f.startsWith(`/strings-${lang[1]}-`)) : p;
      if (now && HASH[now]) want.add(now);
    }
  }
  for (const p of want) for (const d of DEPS[p] || []) want.add(d);
  await Promise.all([...want].map((p) => fetchAndSave(p).catch(() => false)));
}

// The lazy code the visit that installed this worker already loaded (the
// page a QR code opened, say) is in the browser's HTTP cache: kept now, with
// no network, so the next visit to that page needs none for its code.
async function fromThisVisit() {
  const code = await caches.open(CODE);
  await Promise.all(Object.keys(HASH).map(async (p) => {
    const req = new Request(new URL(p, location.href));
    if (!(await code.match(req))) await fromHttpCache(kind(req), req).catch(() => {});
  }));
}

self.addEventListener('activate', (e) => {
  e.waitUntil((async () => {
    // Other builds' shells and code go; the data and photos stay.
    for (const name of await caches.keys()) {
      if (name.startsWith('cuaso-') && !KEEP.includes(name)) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener('message', (e) => {
  const d = e.data || {};
  if (d.type === 'skip-waiting') self.skipWaiting();
  // Which build this worker is (the update prompt's tests ask).
  if (d.type === 'version' && e.ports[0]) e.ports[0].postMessage(VERSION);
  if (d.type === 'cache-urls' && Array.isArray(d.urls)) {
    // "Download for offline" (src/sw.rs `cache_urls`): each URL kept under
    // its rule, with the optional request `headers`; URLs no rule keeps
    // (dossiers, other sites, …) count as failed. Answers on the port.
    e.waitUntil((async () => {
      const ok = await Promise.all(d.urls.map((u) => fetchAndSave(String(u), { headers: d.headers || {} }).catch(() => false)));
      const done = ok.filter(Boolean).length;
      if (e.ports[0]) e.ports[0].postMessage({ done, failed: ok.length - done });
    })());
  }
});
