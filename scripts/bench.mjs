#!/usr/bin/env node
// Page benchmark (issue 9): the release build served by the real server, in
// Debian's Chromium driven over the DevTools protocol, emulating a mid-range
// phone: Lighthouse's Slow 4G (1.6 Mbit/s down, 750 kbit/s up, 150 ms RTT)
// and a 4x CPU slowdown, on every page and on the service worker too.
// Prints a table; not a pass/fail test (exit 1 only when the harness breaks).
//
//   node scripts/bench.mjs [--runs 5] [--verbose] [--port 8701] [--only qr,site,home,search]
//
// Needs dist/ (`make app`) and target/server/cuaso-server (`make server`).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const require = createRequire(import.meta.url);

// ----------------------------------------------------------------- options
const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : dflt;
};
const RUNS = Math.max(1, parseInt(opt('runs', '5'), 10));
const VERBOSE = argv.includes('--verbose');
const PORT = parseInt(opt('port', process.env.BENCH_PORT || '8701'), 10);
const ONLY = new Set(opt('only', 'qr,site,home,search').split(','));
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const BASE = `http://127.0.0.1:${PORT}`;

// The phone: Lighthouse's Slow 4G and 4x CPU, a 412x823 mobile viewport.
const NET = { offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8, connectionType: 'cellular4g' };
const CPU_RATE = 4;
const DEVICE = { width: 412, height: 823, deviceScaleFactor: 1.75, mobile: true };
const BW = 1.6e6; // bit/s, for the floor
const RTT = 0.150; // s, for the floor

// Seeded items the journeys open (server/seed/ocop.json, sites.json).
const GTIN = '08930000000019';
const LOT = 'L2504';
const SLUG = 'vinh-moc';
const QUERY = 'dang ky khai'; // 12 characters, folded Vietnamese ("đăng ký khai …")
const CATALOGUE = 2000;

const log = (...a) => console.error('[bench]', ...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ------------------------------------------------------------------ server
const tmp = mkdtempSync(join(tmpdir(), 'cuaso-bench-'));
const DB = join(tmp, 'bench.db');
let server;

function startServer() {
  const bin = process.env.BENCH_SERVER || join(ROOT, 'target/server/cuaso-server');
  if (!existsSync(bin)) throw new Error('no target/server/cuaso-server: run `make server`');
  if (!existsSync(join(ROOT, 'dist/index.html'))) throw new Error('no dist/index.html: run `make app`');
  const p = spawn(bin, ['--db', DB, '--dist', join(ROOT, 'dist'), '--listen', `127.0.0.1:${PORT}`,
    '--uploads-dir', join(tmp, 'uploads'), '--clock-start', '2026-11-23T09:00:00+07:00'],
  { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  p.stderr.on('data', (d) => { err = (err + d).slice(-4000); });
  p.on('exit', (code) => { if (server === p && code !== null && code !== 0) log(`server exited ${code}: ${err}`); });
  return p;
}

async function waitHealthy() {
  for (let i = 0; i < 300; i++) {
    try {
      const r = await fetch(`${BASE}/api/v1/health`);
      if (r.ok) return;
    } catch {}
    await sleep(100);
  }
  throw new Error(`the server did not answer on ${BASE}`);
}

async function stopServer() {
  if (!server) return;
  const p = server;
  server = undefined;
  if (p.exitCode !== null) return;
  const done = new Promise((r) => p.once('exit', r));
  p.kill('SIGTERM');
  await Promise.race([done, sleep(5000)]);
  if (p.exitCode === null) p.kill('SIGKILL');
}

// The extra procedures, only in the benchmark's copy of the database: the 39
// seeded ones varied by commune and circumstance, in the seed's JSON shape.
const GROW = String.raw`
import json, sqlite3, sys
db, target = sys.argv[1], int(sys.argv[2])
con = sqlite3.connect(db)
rows = con.execute("SELECT body FROM procedures ORDER BY position").fetchall()
seeds = [json.loads(r[0]) for r in rows]
have = len(seeds)
places = ["xã Gio Linh", "xã Cửa Tùng", "xã Vĩnh Linh", "phường Đông Hà", "xã Cam Lộ", "xã Hải Lăng",
          "xã Triệu Phong", "xã Hướng Hóa", "xã Đakrông", "phường Quảng Trị", "xã Cồn Tiên", "xã Bến Quan",
          "xã Khe Sanh", "xã Lao Bảo", "xã Ba Lòng", "xã Mỹ Thủy", "xã Triệu Cơ", "xã Hải Quế", "xã Tà Rụt"]
cases = ["trường hợp thông thường", "trường hợp đặc biệt", "cho người cao tuổi", "cho người khuyết tật",
         "cho hộ nghèo", "qua dịch vụ bưu chính", "trực tuyến một phần", "có yếu tố nước ngoài",
         "cho đồng bào dân tộc thiểu số", "liên thông"]
places_en = ["Gio Linh", "Cua Tung", "Vinh Linh", "Dong Ha", "Cam Lo", "Hai Lang", "Trieu Phong", "Huong Hoa",
             "Dakrong", "Quang Tri", "Con Tien", "Ben Quan", "Khe Sanh", "Lao Bao", "Ba Long", "My Thuy",
             "Trieu Co", "Hai Que", "Ta Rut"]
i, pos = 0, have
while pos < target:
    s = dict(seeds[i % have])
    k = i // have
    place, case = k % len(places), (k // len(places)) % len(cases)
    s["code"] = "9.%06d" % pos
    s["name"] = {"vi": "%s %s tại %s" % (s["name"]["vi"], cases[case], places[place]),
                 "en": "%s (%s)" % (s["name"]["en"], places_en[place])}
    s.pop("form", None)
    con.execute("INSERT INTO procedures (code, field_code, name_vi, name_en, position, body) VALUES (?,?,?,?,?,?)",
                (s["code"], s["field"], s["name"]["vi"], s["name"]["en"], pos, json.dumps(s, ensure_ascii=False)))
    i += 1
    pos += 1
con.commit()
print(con.execute("SELECT COUNT(*) FROM procedures").fetchone()[0])
`;

async function prepareServer() {
  server = startServer();
  await waitHealthy(); // migrations and the seed ran
  await stopServer();
  const n = execFileSync('python3', ['-c', GROW, DB, String(CATALOGUE)]).toString().trim();
  server = startServer();
  await waitHealthy();
  const page = await (await fetch(`${BASE}/api/v1/procedures`)).json();
  if (page.total !== CATALOGUE) throw new Error(`the catalogue has ${page.total} procedures (db says ${n}), not ${CATALOGUE}`);
  log(`server on ${BASE}, catalogue of ${page.total} procedures`);
}

// --------------------------------------------------------- raw CDP client
// Raw CDP (flattened sessions) so the service worker's own requests are
// throttled too: Playwright cannot send commands to a worker's session.
function wsClass() {
  if (typeof WebSocket !== 'undefined') return WebSocket;
  return require('playwright-core/lib/utilsBundle').ws;
}

class Cdp {
  constructor(url) {
    const WS = wsClass();
    this.ws = new WS(url, { perMessageDeflate: false, maxPayload: 256 * 1024 * 1024 });
    this.id = 0;
    this.pending = new Map();
    this.handlers = new Set();
    this.ws.onmessage = (ev) => {
      const m = JSON.parse(typeof ev.data === 'string' ? ev.data : ev.data.toString());
      if (m.id !== undefined) {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        m.error ? p.reject(new Error(`${p.method}: ${m.error.message}`)) : p.resolve(m.result);
      } else {
        for (const h of this.handlers) h(m);
      }
    };
    this.opened = new Promise((res, rej) => { this.ws.onopen = res; this.ws.onerror = rej; });
  }
  send(method, params = {}, sessionId) {
    const id = ++this.id;
    const msg = { id, method, params };
    if (sessionId) msg.sessionId = sessionId;
    this.ws.send(JSON.stringify(msg));
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => { this.pending.delete(id); reject(new Error(`${method}: no answer in 60 s`)); }, 60000);
      this.pending.set(id, { resolve: (v) => { clearTimeout(t); resolve(v); }, reject: (e) => { clearTimeout(t); reject(e); }, method });
    });
  }
  on(h) { this.handlers.add(h); return () => this.handlers.delete(h); }
  close() { try { this.ws.close(); } catch {} }
}

let chrome;
let profile;
async function launchChromium() {
  profile = mkdtempSync(join(tmpdir(), 'cuaso-bench-chromium-'));
  const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
    '--disable-extensions', '--mute-audio', '--remote-debugging-port=0', `--user-data-dir=${profile}`, 'about:blank'];
  chrome = spawn(CHROMIUM, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const url = await new Promise((res, rej) => {
    let buf = '';
    const t = setTimeout(() => rej(new Error(`Chromium did not start: ${buf.slice(-500)}`)), 30000);
    chrome.stderr.on('data', (d) => {
      buf += d;
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(buf);
      if (m) { clearTimeout(t); res(m[1]); }
    });
    chrome.on('exit', (c) => rej(new Error(`Chromium exited ${c}: ${buf.slice(-500)}`)));
  });
  const cdp = new Cdp(url);
  await cdp.opened;
  return cdp;
}

// ---------------------------------------------------------- a fresh phone
// One browser context (a fresh profile: no cache, no service worker). Every
// page and worker in it is throttled before it runs a line.
class Phone {
  constructor(cdp) { this.cdp = cdp; this.sessions = new Map(); this.requests = new Map(); }

  async open() {
    const { browserContextId } = await this.cdp.send('Target.createBrowserContext', { disposeOnDetach: true });
    this.ctx = browserContextId;
    this.off = this.cdp.on((m) => this.event(m));
    const { targetId } = await this.cdp.send('Target.createTarget', { url: 'about:blank', browserContextId });
    this.pageTarget = targetId;
    for (let i = 0; i < 1500 && !this.page; i++) await sleep(20);
    if (!this.page) throw new Error('the page was not attached');
    return this;
  }

  // Attached targets come here (auto-attach at the browser level, paused).
  async attached(m) {
    const { sessionId, targetInfo, waitingForDebugger } = m.params;
    // The page's attach can arrive before Target.createTarget answers.
    for (let i = 0; i < 500 && targetInfo.type === 'page' && !this.pageTarget; i++) await sleep(10);
    const dup = this.targets?.has(targetInfo.targetId);
    if (targetInfo.browserContextId !== this.ctx || dup || !['page', 'service_worker', 'worker'].includes(targetInfo.type)
      || (targetInfo.type === 'page' && targetInfo.targetId !== this.pageTarget)) {
      if (VERBOSE) log(`not ours: ${targetInfo.type} ${targetInfo.url} ${targetInfo.browserContextId}`);
      if (waitingForDebugger) await this.cdp.send('Runtime.runIfWaitingForDebugger', {}, sessionId).catch(() => {});
      return;
    }
    if (VERBOSE) log(`attached ${targetInfo.type} ${targetInfo.url}`);
    const s = sessionId;
    const type = targetInfo.type;
    (this.targets ||= new Set()).add(targetInfo.targetId);
    this.sessions.set(s, type);
    const quiet = (p) => p.catch((e) => { if (VERBOSE) log(`${type}: ${e.message}`); });
    // Sent together: a paused worker answers some of them only once it runs.
    const setup = [quiet(this.cdp.send('Network.enable', {}, s)),
      quiet(this.cdp.send('Network.emulateNetworkConditions', NET, s)),
      quiet(this.cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_RATE }, s))];
    if (type !== 'page') {
      quiet(this.cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: true, flatten: true }, s));
      if (waitingForDebugger) quiet(this.cdp.send('Runtime.runIfWaitingForDebugger', {}, s));
      await Promise.all(setup);
      if (VERBOSE) log(`${type} throttled`);
      return;
    }
    await Promise.all(setup);
    if (type === 'page') {
      await this.cdp.send('Emulation.setDeviceMetricsOverride', DEVICE, s);
      await quiet(this.cdp.send('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 5 }, s));
      await this.cdp.send('Emulation.setLocaleOverride', { locale: 'vi-VN' }, s);
      await this.cdp.send('Network.setUserAgentOverride', { userAgent: 'Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Mobile Safari/537.36', acceptLanguage: 'vi-VN,vi' }, s);
      await this.cdp.send('Page.enable', {}, s);
      await this.cdp.send('Runtime.enable', {}, s);
      await this.cdp.send('Page.addScriptToEvaluateOnNewDocument', { source: PROBE }, s);
    }
    // Auto-attach the page's own workers (dedicated workers) as well.
    await quiet(this.cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: true, flatten: true }, s));
    if (waitingForDebugger) await quiet(this.cdp.send('Runtime.runIfWaitingForDebugger', {}, s));
    if (type === 'page' && targetInfo.targetId === this.pageTarget) this.page = s;
  }

  event(m) {
    if (m.method === 'Target.attachedToTarget') {
      this.attached(m).catch((e) => log('attach:', e.message));
      return;
    }
    const s = m.sessionId;
    if (!s || !this.sessions.has(s)) return;
    const p = m.params;
    const key = `${s}:${p.requestId}`;
    if (m.method === 'Network.requestWillBeSent') {
      if (!p.request.url.startsWith(BASE)) return;
      this.requests.set(key, { url: p.request.url, session: this.sessions.get(s), start: p.timestamp, end: null, bytes: 0, sw: false, cache: false });
    } else if (m.method === 'Network.responseReceived') {
      const r = this.requests.get(key);
      if (r) { r.sw = !!p.response.fromServiceWorker; r.cache = !!(p.response.fromDiskCache || p.response.fromPrefetchCache); r.status = p.response.status; }
    } else if (m.method === 'Network.requestServedFromCache') {
      const r = this.requests.get(key);
      if (r) r.cache = true;
    } else if (m.method === 'Network.loadingFinished' || m.method === 'Network.loadingFailed') {
      const r = this.requests.get(key);
      if (r) { r.end = p.timestamp; r.bytes = p.encodedDataLength || 0; r.failed = m.method === 'Network.loadingFailed'; }
    }
  }

  send(method, params) { return this.cdp.send(method, params, this.page); }
  async eval(expr, timeout = 10000) {
    const r = await this.send('Runtime.evaluate', { expression: expr, awaitPromise: true, returnByValue: true, timeout });
    if (r.exceptionDetails) throw new Error(`${expr}: ${r.exceptionDetails.exception?.description || r.exceptionDetails.text}`);
    return r.result.value;
  }
  async waitFor(expr, ms = 60000) {
    const t0 = Date.now();
    while (Date.now() - t0 < ms) {
      const v = await this.eval(expr).catch(() => undefined);
      if (v) return v;
      await sleep(50);
    }
    const seen = await this.eval(`JSON.stringify({ url: location.href, probe: !!window.__bench, marks: window.__bench && window.__bench.marks, lead: !!document.querySelector("article.product .lead"), vis: window.__bench && window.__bench.visible("article.product .lead"), text: document.body && document.body.innerText.slice(0, 300) })`).catch((e) => e.message);
    throw new Error(`timed out waiting for ${expr}; the page: ${seen}`);
  }
  async navigate(url, doneExpr) {
    this.requests.clear();
    await this.send('Page.navigate', { url });
    return this.waitFor(doneExpr);
  }
  async close() {
    this.off?.();
    await this.cdp.send('Target.disposeBrowserContext', { browserContextId: this.ctx }).catch(() => {});
  }

  // What went over the network: requests not answered by the service worker
  // or the HTTP cache (the worker's own network fetches are counted in its
  // session), those started before `untilMs` after the navigation.
  traffic(navStart, untilMs) {
    const list = [...this.requests.values()].filter((r) => !r.sw && !r.cache && r.end !== null && !r.failed
      && (r.start - navStart) * 1000 <= untilMs && r.bytes > 0);
    return { bytes: list.reduce((a, r) => a + r.bytes, 0), count: list.length, list };
  }
}

// In every page, before the app: marks when a condition first holds at a
// painted frame (rAF, then a task: the frame has been produced), and times
// each keystroke from its event timestamp to the next painted frame.
const PROBE = String.raw`(() => {
  const B = window.__bench = { marks: {}, keys: [], events: [] };
  const visible = (sel) => {
    const el = document.querySelector(sel);
    return !!(el && el.textContent.trim() && el.checkVisibility && el.checkVisibility());
  };
  B.watch = (name, test) => {
    if (B.marks[name]) return;
    const check = () => {
      if (B.marks[name] || !test()) return false;
      requestAnimationFrame(() => setTimeout(() => { if (!B.marks[name]) B.marks[name] = performance.now(); }, 0));
      return true;
    };
    if (check()) return;
    const mo = new MutationObserver(() => { if (check()) mo.disconnect(); });
    const start = () => mo.observe(document, { childList: true, subtree: true, characterData: true, attributes: true });
    start();
  };
  B.visible = visible;
  const conds = {
    qr: () => visible('article.product .lead'),
    site: () => visible('article.site .lead'),
    home: () => !document.getElementById('boot') && visible('.main-nav a.nav-link') && !!document.getElementById('service-search'),
    services: () => visible('.results') && !!document.querySelector('.results a'),
  };
  for (const k in conds) B.watch(k, conds[k]);
  // Interactive: the home is mounted and the main thread then has an idle moment.
  const idle = () => {
    if (B.marks.home) requestIdleCallback(() => { B.marks.interactive = performance.now(); });
    else setTimeout(idle, 10);
  };
  idle();
  // A key: keydown, then (same task) input. 'handled': the event's timestamp
  // to the end of the task that ran every listener (a message posted from
  // the input listener runs right after it); 'painted': to the end of the
  // next frame (rAF, then a task), which includes waiting for that frame.
  addEventListener('keydown', (e) => {
    const t0 = e.timeStamp;
    const k = { key: e.key, t0, delay: performance.now() - t0 };
    B.keys.push(k);
    requestAnimationFrame(() => setTimeout(() => { k.painted = performance.now() - t0; }, 0));
  }, true);
  addEventListener('input', () => {
    const k = B.keys[B.keys.length - 1];
    if (!k || k.handled) return;
    const ch = new MessageChannel();
    ch.port1.onmessage = () => { k.handled = performance.now() - k.t0; };
    ch.port2.postMessage(0);
  }, true);
  try {
    new PerformanceObserver((l) => { for (const e of l.getEntries()) B.events.push({ name: e.name, duration: e.duration, start: e.startTime, processing: e.processingEnd - e.processingStart }); })
      .observe({ type: 'event', durationThreshold: 16, buffered: true });
  } catch {}
})();`;

// ---------------------------------------------------------------- journeys
const mark = (name) => `window.__bench && window.__bench.marks[${JSON.stringify(name)}]`;
const navStartOf = async (phone) => {
  // The navigation's start in the Network domain's clock (seconds).
  const doc = [...phone.requests.values()].find((r) => r.session === 'page');
  return doc ? doc.start : 0;
};

// Round trips, counted from what happened: requests are grouped into waves
// (a wave is every request that started before the first of the wave
// finished: those could not have depended on each other); each wave costs one
// round trip, and the first connection's TCP handshake one more (plain HTTP
// on loopback: no TLS). HTML -> glue + wasm -> lazy chunks -> strings -> API
// JSON are five waves, whatever the CPU did between them. A wave of more than
// six requests really costs more over HTTP/1.1 (six connections per origin):
// that is left in measured/floor, since HTTP/2 or fewer files would remove it.
function roundTrips(list) {
  const rs = [...list].sort((a, b) => a.start - b.start);
  let trips = rs.length ? 1 : 0;
  let i = 0;
  const waves = [];
  while (i < rs.length) {
    let end = rs[i].end;
    let j = i;
    while (j < rs.length && rs[j].start < end) { end = Math.min(end, rs[j].end); j++; }
    if (j === i) j = i + 1;
    waves.push(j - i);
    trips += 1;
    i = j;
  }
  return { trips, waves };
}

function summarize(phone, navStart, ms) {
  const t = phone.traffic(navStart, ms);
  const { trips, waves } = roundTrips(t.list);
  const floor = t.bytes * 8 / BW + trips * RTT;
  return { ms, bytes: t.bytes, requests: t.count, trips, waves, floor: floor * 1000, list: t.list, navStart };
}

async function deepLink(cdp, path, name) {
  const phone = await new Phone(cdp).open();
  try {
    log(`${name}: cold`);
    const cold = await phone.navigate(BASE + path, mark(name));
    const coldRun = summarize(phone, await navStartOf(phone), cold);
    // The worker installs (precache) and takes control; then the link again.
    await phone.waitFor('navigator.serviceWorker.ready.then(() => !!navigator.serviceWorker.controller)', 60000);
    await phone.waitFor(`caches.keys().then(k => k.some(n => n.startsWith('cuaso-shell-')))`, 60000);
    await sleep(500);
    log(`${name}: repeat`);
    const warm = await phone.navigate(BASE + path, mark(name));
    const warmRun = summarize(phone, await navStartOf(phone), warm);
    warmRun.controlled = await phone.eval('!!navigator.serviceWorker.controller');
    // Once more: the worker has now seen which data this page reads (it saw
    // none on the cold visit, which it did not control) and starts it early.
    await sleep(500);
    log(`${name}: later`);
    const later = await phone.navigate(BASE + path, mark(name));
    const laterRun = summarize(phone, await navStartOf(phone), later);
    return { cold: coldRun, warm: warmRun, later: laterRun };
  } finally {
    await phone.close();
  }
}

async function home(cdp) {
  const phone = await new Phone(cdp).open();
  try {
    log('home');
    const ms = await phone.navigate(`${BASE}/`, mark('interactive'));
    const run = summarize(phone, await navStartOf(phone), ms);
    run.mounted = await phone.eval(mark('home'));
    return run;
  } finally {
    await phone.close();
  }
}

// Typing into the catalogue search: each key goes in as a real key event
// (keydown, input); its time is from the event's timestamp to the end of the
// next painted frame (rAF, then setTimeout 0). Also: from the last key to
// the results for the whole query painted (debounce + API + render).
async function search(cdp) {
  const phone = await new Phone(cdp).open();
  try {
    log('search');
    await phone.navigate(`${BASE}/services`, mark('services'));
    await sleep(1000);
    await phone.eval(`(() => { const i = document.getElementById('catalogue-search'); i.focus(); return document.activeElement === i; })()`);
    await phone.eval('window.__bench.keys.length = 0, window.__bench.events.length = 0, true');
    let lastAt;
    for (const ch of QUERY) {
      lastAt = await phone.eval('performance.now()');
      await phone.send('Input.dispatchKeyEvent', { type: 'keyDown', text: ch, unmodifiedText: ch, key: ch });
      await phone.send('Input.dispatchKeyEvent', { type: 'keyUp', key: ch });
      await sleep(150); // a quick typist: ~7 keys a second
    }
    // The results for the whole query are painted.
    const results = await phone.waitFor(`(() => {
      const r = document.querySelector('.results');
      if (!r || !/dang ky khai/.test(r.textContent)) return false;
      return window.__bench.resultsAt || new Promise((res) => requestAnimationFrame(() => setTimeout(() => res(window.__bench.resultsAt = performance.now()), 0)));
    })()`);
    await sleep(300);
    const keys = await phone.eval('window.__bench.keys');
    const events = await phone.eval('window.__bench.events');
    const value = await phone.eval(`document.getElementById('catalogue-search').value`);
    if (value !== QUERY) throw new Error(`typed "${QUERY}" but the box says "${value}"`);
    const per = keys.map((k) => k.handled ?? Infinity);
    const painted = keys.map((k) => k.painted);
    const work = keys.map((k) => (k.handled ?? Infinity) - k.delay);
    const evWorst = events.filter((e) => /key|input/.test(e.name)).reduce((a, e) => Math.max(a, e.duration), 0);
    const total = await phone.eval(`(${JSON.stringify(results)})`);
    return { ms: Math.max(...per), per, painted, work, workWorst: Math.max(...work), paintedWorst: Math.max(...painted), eventWorst: evWorst, afterLast: total - lastAt, bytes: 0, requests: 0, trips: 0, floor: 0 };
  } finally {
    await phone.close();
  }
}

// ------------------------------------------------------------------- table
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const n = s.length; return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2; };
const fmtMs = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 1 : 0)} ms`);
const fmtKB = (b) => `${(b / 1000).toFixed(1)} KB`;

function row(name, runs, target) {
  const ms = runs.map((r) => r.ms);
  const m = median(ms);
  const mid = runs.slice().sort((a, b) => a.ms - b.ms)[Math.floor((runs.length - 1) / 2)];
  const bytes = median(runs.map((r) => r.bytes));
  const reqs = median(runs.map((r) => r.requests));
  const trips = median(runs.map((r) => r.trips));
  const floor = median(runs.map((r) => r.floor));
  return [name, fmtMs(m), fmtMs(Math.min(...ms)), fmtMs(Math.max(...ms)), target,
    floor ? fmtKB(bytes) : '-', floor ? String(reqs) : '-', floor ? String(trips) : '-',
    floor ? fmtMs(floor) : '-', floor ? `${(m / floor).toFixed(1)}x` : '-', mid];
}

function printTable(rows) {
  const head = ['journey', 'median', 'min', 'max', 'target', 'bytes (br)', 'reqs', 'RTTs', 'floor', 'meas/floor'];
  const cells = [head, ...rows.map((r) => r.slice(0, 10))];
  const w = head.map((_, i) => Math.max(...cells.map((c) => c[i].length)));
  const line = (c) => c.map((x, i) => (i === 0 ? x.padEnd(w[i]) : x.padStart(w[i]))).join('  ');
  console.log(line(head));
  console.log(w.map((n) => '-'.repeat(n)).join('  '));
  for (const r of cells.slice(1)) console.log(line(r));
}

// -------------------------------------------------------------------- main
async function main() {
  await prepareServer();
  const cdp = await launchChromium();
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: true, flatten: true });
  const res = { qrCold: [], qrWarm: [], qrLater: [], siteCold: [], siteWarm: [], siteLater: [], home: [], search: [] };
  for (let i = 0; i < RUNS; i++) {
    if (ONLY.has('qr')) { const r = await deepLink(cdp, `/01/${GTIN}/10/${LOT}`, 'qr'); res.qrCold.push(r.cold); res.qrWarm.push(r.warm); res.qrLater.push(r.later); }
    if (ONLY.has('site')) { const r = await deepLink(cdp, `/s/${SLUG}`, 'site'); res.siteCold.push(r.cold); res.siteWarm.push(r.warm); res.siteLater.push(r.later); }
    if (ONLY.has('home')) res.home.push(await home(cdp));
    if (ONLY.has('search')) res.search.push(await search(cdp));
    log(`run ${i + 1}/${RUNS} done`);
  }
  const rows = [];
  if (res.qrCold.length) rows.push(row(`QR batch /01/…/10/${LOT}, cold`, res.qrCold, '≤ 2.0 s'));
  if (res.siteCold.length) rows.push(row(`site /s/${SLUG}, cold`, res.siteCold, '≤ 2.0 s'));
  if (res.qrWarm.length) rows.push(row('QR batch, repeat (SW warm)', res.qrWarm, '≤ 0.5 s'));
  if (res.siteWarm.length) rows.push(row('site, repeat (SW warm)', res.siteWarm, '≤ 0.5 s'));
  if (res.qrLater.length) rows.push(row('QR batch, third visit', res.qrLater, '≤ 0.5 s'));
  if (res.siteLater.length) rows.push(row('site, third visit', res.siteLater, '≤ 0.5 s'));
  if (res.home.length) rows.push(row('home until interactive, cold', res.home, '-'));
  if (res.search.length) rows.push(row(`search keystroke, worst of ${QUERY.length} (2,000)`, res.search, '≤ 8 ms'));
  console.log(`\nCửa Số page benchmark: Chromium ${execFileSync(CHROMIUM, ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim().replace(/^Chromium /, '').split(' ')[0]}, `
    + `Slow 4G (1.6 Mbit/s down, 750 kbit/s up, 150 ms RTT), CPU ${CPU_RATE}x, ${DEVICE.width}x${DEVICE.height} mobile; ${RUNS} runs each\n`);
  printTable(rows);
  if (res.home.length) console.log(`\nhome: app mounted (boot screen gone, nav and search box present) median ${fmtMs(median(res.home.map((r) => r.mounted)))}; interactive = first idle callback after that.`);
  if (res.search.length) {
    console.log(`search: last key to the results for "${QUERY}" painted (250 ms debounce + API + render) median ${fmtMs(median(res.search.map((r) => r.afterLast)))}; `
      + `worst Event Timing entry (duration to next paint, 8 ms granularity, ≥ 16 ms only) median ${fmtMs(median(res.search.map((r) => r.eventWorst)))}`);
    console.log(`search keystroke = key event timestamp to the end of the task that ran its keydown and input listeners (the main thread is free again); `
      + `of which the listeners themselves (after the input delay) worst median ${fmtMs(median(res.search.map((r) => r.workWorst)))}; `
      + `to the end of the next painted frame (rAF + setTimeout 0, includes up to 16.7 ms of waiting for the frame): worst median ${fmtMs(median(res.search.map((r) => r.paintedWorst)))}`);
  }
  console.log('floor = bytes x 8 / 1.6 Mbit/s + RTTs x 150 ms; RTTs = 1 (TCP connect) + 1 per wave of requests that could not depend on each other (see --verbose);');
  console.log('bytes = encoded (brotli) bytes of every request of the page and its service worker that started before the journey ended, HTTP and SW cache hits excluded.');
  if (VERBOSE) {
    console.log('\nper run:');
    const all = { 'qr cold': res.qrCold, 'qr warm': res.qrWarm, 'site cold': res.siteCold, 'site warm': res.siteWarm, home: res.home, search: res.search };
    for (const [name, runs] of Object.entries(all)) {
      runs.forEach((r, i) => {
        const extra = r.per ? ` handled ${r.per.map((x) => x.toFixed(1)).join(' ')} | listeners ${r.work.map((x) => x.toFixed(1)).join(' ')} | painted ${r.painted.map((x) => x.toFixed(1)).join(' ')} | after last ${fmtMs(r.afterLast)}` : ` ${fmtKB(r.bytes)} ${r.requests} reqs, waves [${r.waves.join(' ')}] = ${r.trips} RTTs, floor ${fmtMs(r.floor)}${r.mounted ? `, mounted ${fmtMs(r.mounted)}` : ''}`;
        console.log(`  ${name.padEnd(10)} #${i + 1} ${fmtMs(r.ms).padStart(8)}${extra}`);
      });
    }
    const mid = (runs) => runs.slice().sort((a, b) => a.ms - b.ms)[Math.floor((runs.length - 1) / 2)];
    for (const [name, runs] of Object.entries({ 'qr cold': res.qrCold, 'site cold': res.siteCold, 'qr warm': res.qrWarm, 'site warm': res.siteWarm, home: res.home })) {
      if (!runs.length) continue;
      const r = mid(runs);
      console.log(`\nrequests of the median ${name} run (ms from navigation start, by the Network domain's clock):`);
      for (const q of r.list.sort((a, b) => a.start - b.start)) {
        console.log(`  ${String(Math.round((q.start - r.navStart) * 1000)).padStart(6)} → ${String(Math.round((q.end - r.navStart) * 1000)).padStart(6)}  ${String(q.bytes).padStart(7)} B  ${q.session === 'page' ? '' : `[${q.session}] `}${q.url.replace(BASE, '')}`);
      }
    }
  }
}

let code = 0;
try {
  await main();
} catch (e) {
  console.error('bench: the harness broke:', e.stack || e);
  code = 1;
} finally {
  await stopServer();
  if (chrome && chrome.exitCode === null) chrome.kill('SIGKILL');
  await sleep(200);
  for (const d of [tmp, profile]) if (d) rmSync(d, { recursive: true, force: true });
}
process.exit(code);
