// Crash test: many citizens submit at once (1–2 attachments uploaded, then
// POST /api/v1/dossiers with an Idempotency-Key), the server is killed with
// SIGKILL at a random moment of the storm, restarted on the same database
// and uploads, and every client carries on from where it was cut off: an
// upload without an answer is sent again, a submission without an answer is
// sent again with the SAME key and body. Then it checks:
//   - every submission answered 2xx before a kill is there, complete: status,
//     timeline, answers, every file with its bytes (SHA-256 on disk);
//   - every key gave exactly one dossier (replays answer the same receipt; the
//     agency's codes are probed one by one through the officer API, so no
//     dossier exists that no key owns);
//   - after `cuaso-server sweep --window-secs 0` (server stopped), the files on
//     disk are exactly the files the dossiers reference, and the dossiers are
//     still complete.
// No timing assertion: the kill comes after a seeded random number of
// answers, not after a delay. Exit 1 on any violation.
//
//   node scripts/crash-test.mjs [--full] [--seed N] [--clients N] [--kills N]
//        [--port 8301] [--officer-token T] [--keep]

import { spawn, execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const BIN = process.env.CUASO_SERVER_BIN || path.join(ROOT, 'target/server/cuaso-server');

// ---------------------------------------------------------------- options
const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(`--${name}`);
  if (i >= 0 && i + 1 < argv.length) return argv[i + 1];
  const eq = argv.find((a) => a.startsWith(`--${name}=`));
  return eq ? eq.slice(name.length + 3) : dflt;
};
const FULL = argv.includes('--full');
const KEEP = argv.includes('--keep');
const SEED = Number(opt('seed', process.env.CRASH_SEED ?? randomBytes(4).readUInt32LE(0))) >>> 0;
const CLIENTS = Number(opt('clients', FULL ? 200 : 60));
const KILLS = Number(opt('kills', FULL ? 2 : 1));
const PORT = Number(opt('port', 8301));
const TOKEN = opt('officer-token', 'crash-test-officer-token-0123456789');
const BASE = `http://127.0.0.1:${PORT}`;
const PROCEDURE = '1.001193';

// Seeded: the same seed gives the same clients, files and kill points.
function mulberry32(a) {
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rng = mulberry32(SEED);
const between = (lo, hi) => lo + Math.floor(rng() * (hi - lo + 1));

const started = Date.now();
const secs = (t0) => ((Date.now() - t0) / 1000).toFixed(1);
const violations = [];
const violate = (msg) => {
  violations.push(msg);
  if (violations.length <= 30) console.error(`VIOLATION: ${msg}`);
};
const sha = (buf) => createHash('sha256').update(buf).digest('hex');

console.log(`crash test: ${FULL ? 'full' : 'bounded'}, seed ${SEED}, ${CLIENTS} clients, ${KILLS} kill(s), port ${PORT}`);
console.log(`  reproduce: node scripts/crash-test.mjs${FULL ? ' --full' : ''} --seed ${SEED}`);

// ---------------------------------------------------------------- server
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cuaso-crash-'));
const DB = path.join(tmp, 'cuaso.db');
const DIST = path.join(tmp, 'dist');
const UPLOADS = path.join(tmp, 'uploads');
fs.mkdirSync(DIST);

/** The server's clock in round `r`: the same day, a later hour each start. */
const clockAt = (hour) => `2026-11-23T${String(hour).padStart(2, '0')}:00:00+07:00`;

let server = null;
async function startServer(round) {
  const log = fs.openSync(path.join(tmp, `server-${round}.log`), 'w');
  const child = spawn(BIN, [
    '--db', DB, '--dist', DIST, '--listen', `127.0.0.1:${PORT}`,
    '--clock-start', clockAt(9 + round), '--officer-token', TOKEN, '--no-demo-accounts',
  ], { stdio: ['ignore', log, log] });
  fs.closeSync(log);
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  let gone = null;
  exited.then((e) => { gone = e; });
  server = { child, exited, round };
  const t0 = Date.now();
  for (;;) {
    if (gone) throw new Error(`the server exited at start (${JSON.stringify(gone)}); see ${tmp}/server-${round}.log`);
    try {
      const r = await fetch(`${BASE}/api/v1/health`, { signal: AbortSignal.timeout(2000) });
      if (r.ok) break;
    } catch { /* not up yet */ }
    if (Date.now() - t0 > 180_000) throw new Error('the server did not answer /api/v1/health in 180 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  return server;
}

async function stopServer(signal) {
  if (!server) return;
  const s = server;
  server = null;
  s.child.kill(signal);
  return s.exited;
}

// ---------------------------------------------------------------- clients
const SURNAMES = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ'];
const MIDDLE = ['Thị', 'Văn', 'Minh', 'Ngọc', 'Hữu', 'Thanh', 'Đức', 'Xuân'];
const GIVEN = ['Hoa', 'An', 'Bình', 'Chi', 'Dũng', 'Giang', 'Hạnh', 'Khoa', 'Lan', 'Mai', 'Nam', 'Phúc', 'Quỳnh', 'Sơn', 'Tâm', 'Uyên', 'Việt', 'Yến'];

/** A PDF of `size` bytes, different for every client and file. */
function pdf(i, j, size) {
  const head = Buffer.from(`%PDF-1.4\n% cuaso crash test, client ${i}, file ${j}\n`);
  const tail = Buffer.from('\n%%EOF\n');
  const body = Buffer.alloc(Math.max(0, size - head.length - tail.length));
  for (let k = 0; k < body.length; k++) body[k] = Math.floor(rng() * 256);
  return Buffer.concat([head, body, tail]);
}

const clients = [];
for (let i = 0; i < CLIENTS; i++) {
  const name = `${SURNAMES[between(0, SURNAMES.length - 1)]} ${MIDDLE[between(0, MIDDLE.length - 1)]} ${GIVEN[between(0, GIVEN.length - 1)]}`;
  const files = [];
  for (let j = 0, n = between(1, 2); j < n; j++) {
    const bytes = pdf(i, j, between(2 * 1024, 96 * 1024));
    files.push({ name: `giay-chung-sinh-${i}-${j}.pdf`, bytes, sha: sha(bytes) });
  }
  clients.push({
    i, name, files,
    key: `crash-${SEED}-${String(i).padStart(4, '0')}`,
    uploads: files.map(() => null),
    body: null, // frozen once first sent: a retry sends exactly this
    submitSent: 0, // times sent (answered or not)
    receipt: null,
    okBeforeKill: false,
    uploadsSent: 0,
    retried: false,
    failed: null,
  });
}

function answersFor(c) {
  return {
    quan_he: 'me', ho_ten: c.name, ngay_sinh: '1995-03-12', so_dinh_danh: '045195001234', dien_thoai: '0912345678',
    tre_ho_ten: 'Lê Minh An', tre_ngay_sinh: '2026-11-13', tre_noi_sinh: 'Bệnh viện Đa khoa tỉnh Quảng Trị',
    tre_gioi_tinh: 'nam', tre_dan_toc: 'Kinh', tre_que_quan: 'Quảng Trị',
    me_ho_ten: c.name, me_so_dinh_danh: '045195001234', 'me_noi_cu_tru.province': 'quang-tri',
    'me_noi_cu_tru.commune': 'Phường Đông Hà', 'me_noi_cu_tru.street': `${c.i + 1} Lê Duẩn`,
    cha_me_ket_hon: 'no', co_giay_chung_sinh: 'yes', giay_chung_sinh: c.uploads.join(','),
  };
}

/** A request whose answer may never come (the server is being killed): `null` then. */
async function call(url, init, round) {
  try {
    const r = await fetch(url, { ...init, signal: AbortSignal.timeout(60_000) });
    const text = await r.text();
    round.answered++;
    return { status: r.status, text };
  } catch (e) {
    const why = e?.cause?.code || e?.name || 'error';
    const k = `${round.killed ? 'after' : 'before'} the kill: ${why}`;
    round.errors ??= {};
    round.errors[k] = (round.errors[k] || 0) + 1;
    return null;
  }
}

/** One client's next steps in a round; stops at the first unanswered request. */
async function runClient(c, round) {
  if (c.receipt || c.failed) return;
  for (let j = 0; j < c.files.length; j++) {
    if (c.uploads[j]) continue;
    const form = new FormData();
    form.append('file', new Blob([c.files[j].bytes], { type: 'application/pdf' }), c.files[j].name);
    c.uploadsSent++;
    const r = await call(`${BASE}/api/v1/uploads`, { method: 'POST', body: form }, round);
    round.tick();
    if (!r) return;
    if (r.status !== 201) {
      c.failed = `upload answered ${r.status}: ${r.text.slice(0, 200)}`;
      violate(`client ${c.i}: ${c.failed}`);
      return;
    }
    c.uploads[j] = JSON.parse(r.text).id;
  }
  if (!c.body) c.body = JSON.stringify({ procedure: PROCEDURE, answers: answersFor(c) });
  if (c.submitSent > 0) round.resubmits++;
  c.submitSent++;
  const r = await call(`${BASE}/api/v1/dossiers`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': c.key, 'accept-language': 'vi' },
    body: c.body,
  }, round);
  round.tick();
  if (!r) return;
  if (r.status !== 201 && r.status !== 200) {
    c.failed = `submission answered ${r.status}: ${r.text.slice(0, 300)}`;
    violate(`client ${c.i}: ${c.failed}`);
    return;
  }
  c.receipt = JSON.parse(r.text);
  // 200 to a resent submission: it was committed, its answer lost in the crash.
  if (c.submitSent > 1 && r.status === 200) round.lostAnswers++;
  // In a round with a kill, every answer left the server before it died.
  if (round.kill) c.okBeforeKill = true;
}

/** A round: the server up, every unfinished client runs; maybe a kill. */
async function runRound(index, kill) {
  const t0 = Date.now();
  await startServer(index);
  const pending = clients.filter((c) => !c.receipt && !c.failed);
  if (index > 0) for (const c of pending) c.retried = true;
  const expected = pending.reduce((n, c) => n + c.uploads.filter((u) => !u).length + 1, 0);
  const round = {
    index, kill, answered: 0, resubmits: 0, lostAnswers: 0, killed: false, ticks: 0,
    // The first storm dies after 35–90 % of its answers (so some submissions
    // were answered before it), a retry round after 10–90 %.
    killAt: kill ? Math.max(1, Math.floor(expected * ((index ? 0.1 : 0.35) + (index ? 0.8 : 0.55) * rng()))) : Infinity,
    tick() {
      this.ticks++;
      if (!this.killed && this.ticks >= this.killAt) {
        this.killed = true;
        this.killedAtAnswers = this.answered;
        server.child.kill('SIGKILL');
      }
    },
  };
  await Promise.all(pending.map((c) => runClient(c, round)));
  if (round.killed) {
    const e = await server.exited;
    server = null;
    if (e.signal !== 'SIGKILL') violate(`round ${index}: the server ended with ${JSON.stringify(e)}, not SIGKILL`);
  }
  if (process.env.CRASH_DEBUG) console.log(round.errors ?? {});
  const done = clients.filter((c) => c.receipt).length;
  console.log(
    `round ${index}: ${pending.length} clients, ${expected} requests due, ` +
    (kill ? (round.killed ? `SIGKILL after ${round.killedAtAnswers} answers, ${round.ticks - round.killedAtAnswers} requests cut off` : 'the kill point was not reached') : 'no kill') +
    `, ${round.resubmits} resubmitted with the same key (${round.lostAnswers} answered 200: committed before the kill), ${done}/${CLIENTS} have a receipt (${secs(t0)} s)`,
  );
  return round;
}

// ---------------------------------------------------------------- checks
const officer = (p) => fetch(`${BASE}/api/v1/officer${p}`, { headers: { authorization: `Bearer ${TOKEN}` } });

/** Every dossier complete: view, answers, files with their bytes. */
async function verifyAll(label) {
  let complete = 0;
  await Promise.all(clients.map(async (c) => {
    if (!c.receipt) return;
    const where = `${label}: client ${c.i} ${c.receipt.code}`;
    const r = await officer(`/dossiers/${encodeURIComponent(c.receipt.code)}`);
    if (r.status !== 200) return violate(`${where}: officer view answered ${r.status}`);
    const v = await r.json();
    const p = v.private;
    if (v.status !== 1) return violate(`${where}: status ${JSON.stringify(v.status)}`);
    if (!Array.isArray(v.timeline) || v.timeline.length < 1 || v.timeline[0].status !== 1 || !v.timeline[0].at) {
      return violate(`${where}: timeline ${JSON.stringify(v.timeline)}`);
    }
    if (!p || p.answers.ho_ten !== c.name || p.answers.giay_chung_sinh !== c.uploads.join(',')) {
      return violate(`${where}: answers ${JSON.stringify(p?.answers)}`);
    }
    const files = [...p.files].sort((a, b) => a.id.localeCompare(b.id));
    const want = c.uploads.map((id, j) => ({ id, j })).sort((a, b) => a.id.localeCompare(b.id));
    if (files.length !== want.length) return violate(`${where}: ${files.length} files, want ${want.length}`);
    for (let k = 0; k < want.length; k++) {
      const f = files[k];
      const { id, j } = want[k];
      const src = c.files[j];
      if (f.id !== id || f.field !== 'giay_chung_sinh' || f.size !== src.bytes.length || f.name !== src.name || f.type !== 'pdf') {
        return violate(`${where}: file ${JSON.stringify(f)} for ${id}`);
      }
      let onDisk;
      try { onDisk = fs.readFileSync(path.join(UPLOADS, id)); } catch { return violate(`${where}: file ${id} missing on disk`); }
      if (sha(onDisk) !== src.sha) return violate(`${where}: file ${id} has other bytes`);
    }
    // The citizen's view with the secret shows the same files.
    const mine = await fetch(`${BASE}/api/v1/dossiers/${encodeURIComponent(c.receipt.code)}`, {
      headers: { 'x-dossier-secret': c.receipt.secret },
    });
    const mv = mine.status === 200 ? await mine.json() : null;
    if (!mv?.private || mv.private.files.length !== want.length) {
      return violate(`${where}: the secret holder's view answered ${mine.status}`);
    }
    complete++;
  }));
  return complete;
}

/** Dossiers of the agency and day, probed code by code: none beyond ours. */
async function probeCodes() {
  const codes = clients.filter((c) => c.receipt).map((c) => c.receipt.code);
  if (!codes.length) return { found: 0, unknown: [] };
  const prefix = codes[0].replace(/-\d+$/, '');
  const max = Math.max(...codes.map((c) => Number(c.split('-').pop())));
  const ours = new Set(codes);
  const found = [];
  for (let n = 1; n <= max + 5; n += 25) {
    const batch = [];
    for (let k = n; k < n + 25 && k <= max + 5; k++) {
      const code = `${prefix}-${String(k).padStart(4, '0')}`;
      batch.push(officer(`/dossiers/${code}`).then((r) => {
        if (r.status === 200) found.push(code);
        else if (r.status !== 404) violate(`probe ${code}: ${r.status}`);
      }));
    }
    await Promise.all(batch);
  }
  return { found: found.length, unknown: found.filter((c) => !ours.has(c)) };
}

/** Files of the server's making on disk (ids and partial files), not under media/. */
function filesOnDisk() {
  return fs.readdirSync(UPLOADS, { withFileTypes: true })
    .filter((e) => e.isFile() && /^[0-9a-f]{32}(\.part)?$/.test(e.name))
    .map((e) => e.name);
}

function sweepCli(args) {
  const out = execFileSync(BIN, ['--db', DB, '--dist', DIST, '--clock-start', clockAt(20), 'sweep', ...args], {
    encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
  });
  return JSON.parse(out.trim().split('\n').pop());
}

// ---------------------------------------------------------------- run
let exitCode = 1;
try {
  const rounds = [];
  for (let r = 0; r <= KILLS; r++) rounds.push(await runRound(r, r < KILLS));
  const unfinished = clients.filter((c) => !c.receipt);
  for (const c of unfinished) violate(`client ${c.i}: no receipt after the last round${c.failed ? ` (${c.failed})` : ''}`);

  // Replays: the same key and body again → 200, the same receipt.
  let replaysOk = 0;
  const replayRound = { answered: 0, tick() {} };
  await Promise.all(clients.filter((c) => c.receipt).map(async (c) => {
    const r = await call(`${BASE}/api/v1/dossiers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': c.key },
      body: c.body,
    }, replayRound);
    if (!r || r.status !== 200) return violate(`client ${c.i}: replay answered ${r?.status}: ${r?.text.slice(0, 200)}`);
    const again = JSON.parse(r.text);
    if (again.code !== c.receipt.code || again.secret !== c.receipt.secret) {
      return violate(`client ${c.i}: replay gave ${again.code}, first ${c.receipt.code}`);
    }
    replaysOk++;
  }));

  const codes = clients.filter((c) => c.receipt).map((c) => c.receipt.code);
  const distinct = new Set(codes).size;
  if (distinct !== codes.length) violate(`${codes.length - distinct} receipts share a code with another key`);
  const probe = await probeCodes();
  const duplicates = probe.found - distinct;
  if (probe.found !== distinct) violate(`${probe.found} dossiers exist for ${distinct} keys`);
  if (probe.unknown.length) violate(`dossiers no key owns: ${probe.unknown.slice(0, 5).join(', ')}`);
  const complete = await verifyAll('after restart');

  // Orphans: stop the server, count, sweep, count again.
  await stopServer('SIGTERM');
  const referenced = new Set(clients.flatMap((c) => (c.receipt ? c.uploads : [])));
  const disk = filesOnDisk();
  const orphansBefore = disk.filter((f) => !referenced.has(f)).length;
  const dry = sweepCli(['--window-secs', '0', '--dry-run']);
  const swept = sweepCli(['--window-secs', '0']);
  const after = filesOnDisk();
  const orphansAfter = after.filter((f) => !referenced.has(f)).length;
  const missing = [...referenced].filter((id) => !after.includes(id));
  if (orphansAfter) violate(`${orphansAfter} orphan files left after the sweep`);
  if (missing.length) violate(`the sweep removed ${missing.length} referenced files`);
  if (after.length !== referenced.size) violate(`${after.length} files on disk, ${referenced.size} referenced`);
  if (swept.files_left !== referenced.size) violate(`the sweep reports ${swept.files_left} files left, ${referenced.size} referenced`);
  const again = sweepCli(['--window-secs', '0', '--dry-run']);
  if (again.orphan_rows + again.stray_files + again.partial_files) violate(`a second sweep still finds ${JSON.stringify(again)}`);

  // Still complete after the sweep, served by a restarted server.
  await startServer(KILLS + 1);
  const completeAfterSweep = await verifyAll('after the sweep');
  await stopServer('SIGTERM');

  const okBeforeKill = clients.filter((c) => c.okBeforeKill).length;
  const retried = clients.filter((c) => c.retried).length;
  const resubmitted = rounds.reduce((n, r) => n + r.resubmits, 0);
  const lostAnswers = rounds.reduce((n, r) => n + r.lostAnswers, 0);
  const reuploads = clients.reduce((n, c) => n + c.uploadsSent - c.files.length, 0);
  const files = clients.reduce((n, c) => n + c.files.length, 0);
  console.log('');
  console.log(`submitted                 ${CLIENTS} (${files} attachments)`);
  console.log(`2xx before a kill         ${okBeforeKill}`);
  console.log(`retried after a restart   ${retried} clients (${resubmitted} submissions resent with the same key, ${lostAnswers} of them already committed; ${reuploads} uploads sent again)`);
  console.log(`dossiers found            ${probe.found} (complete: ${complete}; after the sweep: ${completeAfterSweep})`);
  console.log(`duplicates                ${duplicates}`);
  console.log(`replays (200, same)       ${replaysOk}`);
  console.log(`orphan files before sweep ${orphansBefore} (sweeper: ${dry.orphan_rows} unattached rows, ${dry.stray_files} files without a row, ${dry.partial_files} partial)`);
  console.log(`orphan files after sweep  ${orphansAfter} (files on disk ${after.length} = referenced ${referenced.size})`);
  console.log(`violations                ${violations.length}`);
  console.log(`duration                  ${secs(started)} s`);
  exitCode = violations.length ? 1 : 0;
} catch (e) {
  console.error(`crash test error: ${e.stack || e}`);
  console.error(`server logs in ${tmp}`);
} finally {
  if (server) await stopServer('SIGKILL');
  if (exitCode === 0 && !KEEP) fs.rmSync(tmp, { recursive: true, force: true });
  else console.log(`kept ${tmp}`);
}
process.exit(exitCode);
