#!/usr/bin/env node
// Load test (issue 9): the release server on loopback, on a fresh seeded
// database in a temp directory, under a fixed arrival rate of mixed reads
// (open model: each request has a scheduled send time and its latency is
// measured from that time, so any queueing, in this generator or in the
// server, counts) plus a stream of submissions (upload + dossier with an
// Idempotency-Key). Prints one line per endpoint: requests, errors,
// throughput, p50/p99/max latency. Exit 1 if any request failed (non-2xx
// or network error) or the harness broke.
//
//   node scripts/load.mjs [--duration 60] [--rate 1000] [--submit-rate 2] [--port 0]
//
// Ids are discovered through the API: procedure codes and fields from the
// catalogue, site slugs from /sites, GTINs and lots from the demo producers'
// /me/products and the public product pages, dossier codes from dossiers it
// submits first. No dependency beyond Node 20 (node:http keep-alive agent
// for the reads, global fetch for the multipart uploads).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, readFileSync, openSync } from 'node:fs';
import { tmpdir, loadavg, cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import http from 'node:http';
import net from 'node:net';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : dflt;
};
const DURATION = Number(opt('duration', '60'));
const RATE = Number(opt('rate', '1000'));
const SUBMIT_RATE = Number(opt('submit-rate', '2'));
if (!(DURATION > 0 && RATE > 0 && SUBMIT_RATE >= 0)) {
  console.error('usage: node scripts/load.mjs [--duration s] [--rate req/s] [--submit-rate /s] [--port n]');
  process.exit(2);
}
const log = (...a) => console.error('[load]', ...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ------------------------------------------------------------------ server
const tmp = mkdtempSync(join(tmpdir(), 'cuaso-load-'));
let server;

function cleanup() {
  if (server && server.exitCode === null) server.kill('SIGTERM');
  rmSync(tmp, { recursive: true, force: true });
}
process.on('exit', cleanup);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));

function freePort() {
  return new Promise((res, rej) => {
    const s = net.createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

async function startServer(port) {
  const bin = join(ROOT, 'target/server/cuaso-server');
  if (!existsSync(bin)) {
    log('no target/server/cuaso-server: building it (cargo build --profile server -p cuaso-server)');
    execFileSync('cargo', ['build', '--profile', 'server', '-p', 'cuaso-server'], { cwd: ROOT, stdio: 'inherit' });
  }
  const args = ['--db', join(tmp, 'load.db'), '--dist', join(ROOT, 'dist'), '--listen', `127.0.0.1:${port}`];
  const out = openSync(join(tmp, 'server.log'), 'w');
  server = spawn(bin, args, { cwd: ROOT, stdio: ['ignore', out, out] });
  for (let i = 0; i < 200; i++) {
    if (server.exitCode !== null) break;
    try {
      const r = await fetch(`http://127.0.0.1:${port}/api/v1/health`);
      if (r.ok) return;
    } catch {}
    await sleep(100);
  }
  throw new Error(`the server did not start:\n${serverLog()}`);
}

const serverLog = () => {
  try {
    return readFileSync(join(tmp, 'server.log'), 'utf8').split('\n').slice(-20).join('\n');
  } catch {
    return '';
  }
};

/** CPU seconds (user + system) a process has used, from /proc. */
function cpuSeconds(pid) {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
    return (Number(rest[11]) + Number(rest[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return NaN;
  }
}

// -------------------------------------------------------------- discovery
let BASE;

async function json(path, init = {}) {
  const r = await fetch(BASE + path, init);
  const text = await r.text();
  if (!r.ok) throw new Error(`${init.method || 'GET'} ${path} answered ${r.status}: ${text.slice(0, 300)}`);
  return { body: text ? JSON.parse(text) : null, headers: r.headers };
}

/** A minimal PDF: the server checks the bytes, not the name. */
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

const isoDay = (d) => d.toISOString().slice(0, 10);

/** Answers every question of a form the way a citizen would, from the
 *  schema alone; the file questions that are shown get `files` (a list of
 *  upload ids each). Returns [answers, names of the shown file fields]. */
function answerForm(form) {
  const a = {};
  const dateFields = new Set();
  const future = isoDay(new Date(Date.now() + 30 * 86400e3));
  for (const page of form.pages) {
    for (const f of page.fields) {
      const k = f.kind;
      switch (k.type) {
        case 'text': a[f.id] = f.id.includes('ten') ? 'Nguyễn Thị Hoa' : 'Thôn Cam Lộ'; break;
        case 'long_text': a[f.id] = 'Xin cấp theo quy định.\nCảm ơn.'; break;
        case 'date': a[f.id] = k.rule === 'future' ? future : '1990-05-12'; dateFields.add(f.id); break;
        case 'choice': a[f.id] = k.options[0].value; break;
        case 'yes_no': a[f.id] = 'yes'; break;
        case 'cccd': a[f.id] = '045190001234'; break; // 045 Quảng Trị, 1: woman born 19xx, 90
        case 'phone': a[f.id] = '0912 345 678'; break;
        case 'email': a[f.id] = 'hoa.nguyen@example.vn'; break;
        case 'address':
          a[`${f.id}.province`] = 'quang-tri';
          a[`${f.id}.commune`] = 'Xã Cam Lộ';
          a[`${f.id}.street`] = 'Thôn Tân Tường';
          break;
        case 'file': break;
        default: throw new Error(`unknown field kind ${k.type}`);
      }
    }
  }
  const holds = (c) => !c || a[c.field] === c.equals;
  const files = [];
  for (const page of form.pages) {
    if (!holds(page.show_if)) continue;
    for (const f of page.fields) if (f.kind.type === 'file' && holds(f.show_if)) files.push(f.id);
  }
  return [a, files];
}

async function upload() {
  const form = new FormData();
  form.append('file', new Blob([PDF], { type: 'application/pdf' }), 'giay-to.pdf');
  const r = await fetch(`${BASE}/api/v1/uploads`, { method: 'POST', body: form });
  const text = await r.text();
  return { status: r.status, id: r.ok ? JSON.parse(text).id : null, text };
}

async function submit(proc, answers) {
  const r = await fetch(`${BASE}/api/v1/dossiers`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
    body: JSON.stringify({ procedure: proc.code, answers }),
  });
  const text = await r.text();
  return { status: r.status, code: r.ok ? JSON.parse(text).code : null, text };
}

async function discover() {
  const ids = { procedures: [], fields: [], sites: [], products: [], batches: [], dossiers: [] };
  for (let page = 1; ; page++) {
    const { body } = await json(`/api/v1/procedures?page=${page}`);
    ids.procedures.push(...body.items);
    if (page * body.per_page >= body.total) break;
  }
  ids.fields = (await json('/api/v1/fields')).body.map((f) => f.code ?? f.id ?? f.slug).filter(Boolean);
  ids.sites = (await json('/api/v1/sites')).body.sites.map((s) => s.slug);
  // GTINs through the demo producers' portal (README: demo accounts).
  for (const [username, password] of [['tieucua', 'hat tieu thom cay'], ['khesanh', 'ca phe khe sanh ngon']]) {
    const login = await fetch(`${BASE}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    if (!login.ok) throw new Error(`login ${username} answered ${login.status}`);
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const { body } = await json('/api/v1/me/products', { headers: { cookie } });
    ids.products.push(...body.listings.map((l) => l.gtin));
  }
  for (const gtin of ids.products) {
    const { body } = await json(`/api/v1/products/${gtin}`);
    for (const b of body.batches || []) ids.batches.push([gtin, b.lot]);
  }
  // The procedure to apply for: the online one with a form and the fewest
  // file questions shown, one at least (an application uploads its papers).
  let best;
  const cost = (n) => (n === 0 ? Infinity : n);
  for (const p of ids.procedures.filter((p) => p.online !== 'none')) {
    const { body } = await json(`/api/v1/procedures/${encodeURIComponent(p.code)}`);
    if (!body.form) continue;
    const [answers, files] = answerForm(body.form);
    if (!best || cost(files.length) < cost(best.files.length)) best = { code: p.code, answers, files };
  }
  if (!best) throw new Error('no procedure with an online form');
  ids.apply = best;
  for (let i = 0; i < 3; i++) ids.dossiers.push(await applyOnce(best, null));
  for (const [k, v] of Object.entries(ids)) {
    if (Array.isArray(v) && v.length === 0) throw new Error(`discovery found no ${k}`);
  }
  return ids;
}

/** One citizen's application: the files, then the dossier. Records both
 *  when `rec` is given; returns the dossier code. */
async function applyOnce(apply, rec, scheduled) {
  const answers = { ...apply.answers };
  for (const field of apply.files) {
    const t = scheduled ?? performance.now();
    let u;
    try {
      u = await upload();
    } catch (e) {
      u = { status: 0, text: String(e) };
    }
    rec?.('upload', u.status, performance.now() - t, u.text);
    if (!u.id) {
      if (!rec) throw new Error(`upload answered ${u.status}: ${u.text.slice(0, 300)}`);
      return null;
    }
    answers[field] = u.id;
    scheduled = undefined;
  }
  const t = scheduled ?? performance.now();
  let s;
  try {
    s = await submit(apply, answers);
  } catch (e) {
    s = { status: 0, text: String(e) };
  }
  rec?.('submit', s.status, performance.now() - t, s.text);
  if (!s.code && !rec) throw new Error(`submission answered ${s.status}: ${s.text.slice(0, 300)}`);
  return s.code;
}

// ------------------------------------------------------------------ the run
const port = Number(opt('port', '0')) || (await freePort());
BASE = `http://127.0.0.1:${port}`;
await startServer(port);
const ids = await discover();
log(
  `server ${BASE} (pid ${server.pid}); ${ids.procedures.length} procedures, ${ids.sites.length} sites, ` +
    `${ids.products.length} products, ${ids.batches.length} batches; applying for ${ids.apply.code} ` +
    `(${ids.apply.files.length} file${ids.apply.files.length === 1 ? '' : 's'})`,
);

const pick = (a) => a[Math.floor(Math.random() * a.length)];
const enc = encodeURIComponent;
const QUERIES = ['', 'q=khai+sinh', `q=${enc('đăng ký')}`, 'page=2', 'q=ho+chieu', `q=${enc('giấy phép')}`];
// One sixth of the reads each, in a fixed order so every endpoint gets its share.
const READS = [
  ['catalogue', () => `/api/v1/procedures?${pick([...QUERIES, `field=${enc(pick(ids.fields))}`])}`],
  ['procedure', () => `/api/v1/procedures/${enc(pick(ids.procedures).code)}`],
  ['site', () => `/api/v1/sites/${pick(ids.sites)}?lang=${pick(['vi', 'en', 'ko'])}`],
  ['product', () => `/api/v1/products/${pick(ids.products)}`],
  ['batch', () => {
    const [g, l] = pick(ids.batches);
    return `/api/v1/products/${g}/batches/${enc(l)}`;
  }],
  ['dossier status', () => `/api/v1/dossiers/${pick(ids.dossiers)}`],
];
const ORDER = [...READS.map((r) => r[0]), 'upload', 'submit'];

const stats = new Map(ORDER.map((n) => [n, { lat: [], errors: 0, samples: [] }]));
let lastDone = 0;
function record(name, status, ms, text) {
  const s = stats.get(name);
  s.lat.push(ms);
  if (!(status >= 200 && status < 300)) {
    s.errors++;
    if (s.samples.length < 3) s.samples.push(`${status} ${String(text ?? '').slice(0, 200)}`);
  }
  lastDone = performance.now();
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
let inflight = 0;
let maxInflight = 0;
// How late each read left this process: a busy machine (or a generator
// that cannot keep up) shows here, not only in the server's latency.
const lags = new Float64Array(Math.round(RATE * DURATION));
function read(i, scheduled) {
  const [name, path] = READS[i % READS.length];
  const url = path();
  inflight++;
  maxInflight = Math.max(maxInflight, inflight);
  lags[i] = performance.now() - scheduled;
  const done = (status, text) => {
    inflight--;
    record(name, status, performance.now() - scheduled, text ?? url);
  };
  const req = http.get({ agent, host: '127.0.0.1', port, path: url, headers: { 'accept-language': 'vi' } }, (res) => {
    const chunks = [];
    const keep = res.statusCode < 200 || res.statusCode >= 300;
    res.on('data', (c) => keep && chunks.push(c));
    res.on('end', () => done(res.statusCode, keep ? `${url} ${Buffer.concat(chunks)}` : url));
    res.on('error', (e) => done(0, `${url} ${e}`));
  });
  req.setTimeout(30_000, () => req.destroy(new Error('timeout after 30 s')));
  req.on('error', (e) => done(0, `${url} ${e}`));
}

const cpu0 = { gen: process.cpuUsage(), server: cpuSeconds(server.pid) };

const t0 = performance.now() + 50;
const totalReads = Math.round(RATE * DURATION);
const totalSubmits = Math.round(SUBMIT_RATE * DURATION);
let sent = 0;
let submitted = 0;
const pending = [];
log(`${DURATION} s at ${RATE} reads/s and ${SUBMIT_RATE} submissions/s …`);

await new Promise((finish) => {
  function tick() {
    const now = performance.now();
    while (sent < totalReads && t0 + (sent * 1000) / RATE <= now) {
      read(sent, t0 + (sent * 1000) / RATE);
      sent++;
    }
    while (submitted < totalSubmits && t0 + (submitted * 1000) / SUBMIT_RATE <= now) {
      const scheduled = t0 + (submitted * 1000) / SUBMIT_RATE;
      pending.push(applyOnce(ids.apply, record, scheduled).then((code) => code && ids.dossiers.push(code)));
      submitted++;
    }
    if (sent < totalReads || submitted < totalSubmits) setTimeout(tick, 1);
    else finish();
  }
  setTimeout(tick, Math.max(0, t0 - performance.now()));
});
const sendEnd = performance.now();
const sendRate = sent / ((sendEnd - t0) / 1000);
await Promise.all(pending);
for (let i = 0; i < 600 && inflight > 0; i++) await sleep(50);
const elapsed = (Math.max(lastDone, sendEnd) - t0) / 1000;
const genCpu = process.cpuUsage(cpu0.gen);
const genCpuS = (genCpu.user + genCpu.system) / 1e6;
const serverCpuS = cpuSeconds(server.pid) - cpu0.server;
agent.destroy();

// ------------------------------------------------------------------ report
const pct = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN);
const ms = (x) => (Number.isFinite(x) ? x.toFixed(1) : '-');
const rows = [['endpoint', 'requests', 'errors', 'req/s', 'p50 ms', 'p99 ms', 'max ms']];
const all = [];
let errors = 0;
for (const name of ORDER) {
  const s = stats.get(name);
  const sorted = Float64Array.from(s.lat).sort();
  all.push(...s.lat);
  errors += s.errors;
  rows.push([name, s.lat.length, s.errors, (s.lat.length / elapsed).toFixed(1), ms(pct(sorted, 50)), ms(pct(sorted, 99)), ms(sorted[sorted.length - 1])]);
}
const allSorted = Float64Array.from(all).sort();
const lagSorted = lags.slice(0, sent).sort();
rows.push(['total', all.length, errors, (all.length / elapsed).toFixed(1), ms(pct(allSorted, 50)), ms(pct(allSorted, 99)), ms(allSorted[allSorted.length - 1])]);
const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
const line = (r) => r.map((v, c) => (c === 0 ? String(v).padEnd(widths[c]) : String(v).padStart(widths[c]))).join('  ');
console.log(`Load test: ${DURATION} s, reads at ${RATE}/s (open model, latency from the scheduled send time), ${SUBMIT_RATE} submissions/s (upload + dossier)`);
console.log(line(rows[0]));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of rows.slice(1, -1)) console.log(line(r));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
console.log(line(rows[rows.length - 1]));
console.log(
  `reads sent at ${sendRate.toFixed(1)}/s of ${RATE} targeted, late on their schedule by ${ms(pct(lagSorted, 50))} ms ` +
    `at p50, ${ms(pct(lagSorted, 99))} ms at p99, ${ms(lagSorted[lagSorted.length - 1])} ms at most; at most ${maxInflight} in flight`,
);
console.log(
  `CPU over ${elapsed.toFixed(1)} s: server ${(serverCpuS / elapsed * 100).toFixed(0)}%, load generator ` +
    `${(genCpuS / elapsed * 100).toFixed(0)}% of one core; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} cores`,
);

if (errors) {
  for (const [name, s] of stats) for (const x of s.samples) console.error(`[load] ${name}: ${x}`);
  console.error(`[load] ${errors} request${errors === 1 ? '' : 's'} failed`);
  const tail = serverLog();
  if (tail) console.error(`[load] server log (last lines):\n${tail}`);
  process.exit(1);
}
process.exit(0);
