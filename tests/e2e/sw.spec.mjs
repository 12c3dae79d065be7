// The service worker for the whole app (sw/sw.js, sw/update.js): the citizen's
// screens open offline with what they showed last, and a new deploy (or a
// rollback to the previous one) is offered with a prompt, never forced.
//
// These tests run against a server of their own, on a copy of dist/ in a
// temporary directory, so that they can change dist/sw.js between visits as
// a deploy would.
// Playwright's own test, not clock.mjs's: these tests read the browser's
// navigation timing, which an installed page clock replaces, and the screens
// they open show the server's dates only (the dossier's dates come from the
// server's clock through createDossier).
import { test, expect } from '@playwright/test';
import { CLOCK_START } from './clock.mjs';
import AxeBuilder from '@axe-core/playwright';
import { spawn } from 'node:child_process';
import http from 'node:http';
import { cpSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './playwright.config.mjs';
import { controlled } from './worker.mjs';
import { createDossier } from './birth.mjs';

const PORT = Number(process.env.CUASO_E2E_SW_PORT || 8601);
const BASE = `http://127.0.0.1:${PORT}`;

test.use({ serviceWorkers: 'allow', baseURL: BASE });
// Installing a worker fetches the build's files again: slow on a busy machine.
test.describe.configure({ mode: 'serial', timeout: 120_000 });

let dir;
let server;
let original; // dist/sw.js as built

/** dist/sw.js as another build would have it: only VERSION differs. */
function deploy(version) {
  const sw = version ? original.replace(/^const VERSION = '[0-9a-f]{16}';$/m, `const VERSION = '${version}';`) : original;
  if (version) expect(sw).not.toBe(original);
  // The server would send the old precompressed copies: gone with the deploy.
  rmSync(join(dir, 'dist/sw.js.br'), { force: true });
  rmSync(join(dir, 'dist/sw.js.gz'), { force: true });
  writeFileSync(join(dir, 'dist/sw.js'), sw);
  // A time of its own: the browser revalidates sw.js with If-Modified-Since,
  // whose one-second grain would hide two deploys within the same second.
  deployed += 60;
  utimesSync(join(dir, 'dist/sw.js'), deployed, deployed);
}
let deployed = Math.floor(Date.now() / 1000);

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cuaso-sw-'));
  // CUASO_SW_DIST: another build to test (default: dist/).
  cpSync(process.env.CUASO_SW_DIST || join(ROOT, 'dist'), join(dir, 'dist'), { recursive: true });
  original = readFileSync(join(dir, 'dist/sw.js'), 'utf8');
  server = spawn(join(ROOT, 'target/server/cuaso-server'), [
    '--db', join(dir, 'sw.db'), '--dist', join(dir, 'dist'), '--listen', `127.0.0.1:${PORT}`,
    '--officer-token', 'e2e-officer-token', '--clock-start', CLOCK_START,
  ], { stdio: 'ignore' });
  for (let i = 0; ; i++) {
    const up = await fetch(`${BASE}/api/v1/health`).then((r) => r.ok, () => false);
    if (up) break;
    if (i > 200) throw new Error(`no server on ${PORT}`);
    await new Promise((r) => setTimeout(r, 100));
  }
});

test.afterAll(() => {
  server?.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
});


/** The VERSION of the worker controlling the page, and this origin's shell caches. */
const version = (page) => page.evaluate(async () => {
  const worker = navigator.serviceWorker.controller;
  const v = await new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = (e) => resolve(e.data);
    worker.postMessage({ type: 'version' }, [ch.port2]);
  });
  return { v, shells: (await caches.keys()).filter((n) => n.startsWith('cuaso-shell-')) };
});

const h1 = (page) => page.getByRole('heading', { level: 1 });

/** Presses the prompt's reload button: the page reloads under the worker `v`. */
async function reloadInto(page, prompt, v) {
  await page.evaluate(() => { window.before = true; });
  await prompt.getByRole('button', { name: 'Tải lại để dùng' }).click();
  await expect.poll(() => page.evaluate(() => !window.before).catch(() => false), { timeout: 30_000 }).toBe(true);
  await expect.poll(async () => (await version(page)).v, { timeout: 30_000 }).toBe(v);
  expect(await page.evaluate(() => performance.getEntriesByType('navigation')[0].type)).toBe('reload');
  await expect(page.locator('#sw-update')).toHaveCount(0);
}


test('the shell and sw.js are never cached by the browser, and a first visit has no update code', async ({ request }) => {
  for (const p of ['/', '/index.html', '/services', '/sw.js']) {
    const r = await request.get(p);
    expect(r.status(), p).toBe(200);
    expect(r.headers()['cache-control'], p).toBe('no-cache');
  }
  // The prompt is added by the worker to the pages it serves, never by the server.
  expect(await (await request.get('/')).text()).not.toContain('sw-update');
  const update = /const UPDATE = '(\/sw-update-[0-9a-f]{16}\.js)';/.exec(original)[1];
  const r = await request.get(update);
  expect(r.status()).toBe(200);
  expect(r.headers()['cache-control']).toContain('immutable');
});

test('home, the catalogue, a search, a procedure and "Hồ sơ của tôi" open offline with what they showed last', async ({ page, context, request }) => {
  const receipt = await createDossier(request);
  // The first visit: the worker installs and takes over.
  await page.goto('/');
  await page.evaluate((r) => localStorage.setItem('cuaso.my', JSON.stringify([r])), receipt);
  await expect(h1(page)).toHaveText('Bạn cần làm gì hôm nay?');
  await controlled(page);
  const screens = [
    ['/', async () => expect(h1(page)).toHaveText('Bạn cần làm gì hôm nay?')],
    ['/services', async () => expect(page.locator('.procedure-card').first()).toBeVisible()],
    ['/services?q=khai%20sinh', async () => expect(page.locator('.procedure-card', { hasText: 'Đăng ký khai sinh' }).first()).toBeVisible()],
    ['/services/1.001193', async () => {
      await expect(h1(page)).toHaveText('Đăng ký khai sinh');
      await expect(page.getByRole('link', { name: 'Nộp hồ sơ trực tuyến' }).first()).toBeVisible();
    }],
    ['/my', async () => expect(page.locator('.card', { hasText: receipt.code })).toBeVisible()],
  ];
  // Visits online, through the worker.
  for (const [path, shown] of screens) {
    await page.goto(path);
    await shown();
  }
  // A repeat visit: the shell through the worker, with no wait added.
  await page.goto('/');
  await expect(h1(page)).toBeVisible();
  const nav = await page.evaluate(() => performance.getEntriesByType('navigation')[0].toJSON());
  console.log(`repeat visit: shell ${Math.round(nav.responseEnd - nav.startTime)} ms, DOMContentLoaded ${Math.round(nav.domContentLoadedEventEnd - nav.startTime)} ms, load ${Math.round(nav.loadEventEnd - nav.startTime)} ms`);
  expect(nav.workerStart).toBeGreaterThan(0);
  expect(nav.responseEnd - nav.startTime).toBeLessThan(500);

  await context.setOffline(true);
  try {
    for (const [path, shown] of screens) {
      const res = await page.goto(path);
      expect(res.fromServiceWorker(), path).toBe(true);
      await shown();
    }
    // "Hồ sơ của tôi" says the statuses could not be refreshed.
    await expect(page.locator('.notice[role=status]')).toBeVisible();
    // Nothing with a secret was kept: the dossier itself is not there offline.
    const kept = await page.evaluate(async () => {
      const keys = [];
      for (const name of await caches.keys()) {
        for (const r of await (await caches.open(name)).keys()) keys.push(new URL(r.url).pathname);
      }
      return keys;
    });
    expect(kept.filter((k) => /^\/api\/v1\/(dossiers|auth|me|officer|helper|feedback|uploads)/.test(k))).toEqual([]);
    expect(kept).toContain('/api/v1/procedures/1.001193');
  } finally {
    await context.setOffline(false);
  }
});

test('a new deploy is offered with a prompt, taken only on request; redeploying the old build brings it back', async ({ page }) => {
  deploy();
  await page.goto('/');
  await expect(h1(page)).toBeVisible();
  await controlled(page);
  const first = await version(page);
  expect(first.shells).toEqual([`cuaso-shell-${first.v}`]);
  // No prompt while nothing newer is there.
  await page.reload();
  await expect(h1(page)).toBeVisible();
  await page.waitForTimeout(500);
  await expect(page.locator('#sw-update')).toHaveCount(0);

  // A deploy. The next visit finds it; the citizen is typing meanwhile.
  deploy('0123456789abcdef');
  await page.goto('/services');
  const search = page.getByRole('searchbox').first();
  await search.fill('khai');
  const prompt = page.getByRole('status').filter({ hasText: 'Đã có phiên bản mới của Cửa Số.' });
  await expect(prompt).toBeVisible({ timeout: 30_000 });
  // Nothing moved: the field still has its text and the focus.
  await expect(search).toHaveValue('khai');
  await expect(search).toBeFocused();
  const reload = prompt.getByRole('button', { name: 'Tải lại để dùng' });
  const later = prompt.getByRole('button', { name: 'Để sau' });
  for (const b of [reload, later]) expect((await b.boundingBox()).height).toBeGreaterThanOrEqual(44);
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
  // The page stays as it was for as long as nobody asks.
  expect((await version(page)).v).toBe(first.v);
  // "Later" hides it; the next visit asks again.
  await later.click();
  await expect(prompt).toHaveCount(0);
  await page.reload();
  await expect(prompt).toBeVisible({ timeout: 30_000 });
  expect((await version(page)).v).toBe(first.v);
  // The reload into the new version.
  await reloadInto(page, prompt, '0123456789abcdef');
  await expect(page.locator('.procedure-card').first()).toBeVisible({ timeout: 30_000 });
  expect((await version(page)).shells).toEqual(['cuaso-shell-0123456789abcdef']);

  // It was a broken deploy: the previous build is deployed again.
  deploy();
  await page.goto('/');
  await expect(prompt).toBeVisible({ timeout: 30_000 });
  await reloadInto(page, prompt, first.v);
  await expect(h1(page)).toHaveText('Bạn cần làm gì hôm nay?');
  expect((await version(page)).shells).toEqual([`cuaso-shell-${first.v}`]);
});

test('the prompt in English, announced without taking the focus', async ({ page }) => {
  deploy();
  await page.addInitScript(() => localStorage.setItem('cuaso.lang', 'en'));
  await page.goto('/');
  await controlled(page);
  deploy('fedcba9876543210');
  await page.goto('/services/1.001193');
  const prompt = page.getByRole('status').filter({ hasText: 'A new version of Cửa Số is available.' });
  await expect(prompt).toBeVisible({ timeout: 30_000 });
  await expect(prompt.getByRole('button', { name: 'Reload to use it' })).toBeVisible();
  await expect(prompt.getByRole('button', { name: 'Later' })).toBeVisible();
  expect(await page.evaluate(() => document.activeElement?.closest('#sw-update'))).toBeNull();
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);
  deploy();
});

test('a page opened from the saved shell never gets another build\'s code from the network', async ({ page }) => {
  deploy();
  // In front of the server, a link on which pages take 6 s: the worker
  // answers with its saved shell after 4.
  let slow = false;
  const proxy = http.createServer((req, res) => {
    const go = () => {
      const up = http.request({ host: '127.0.0.1', port: PORT, path: req.url, method: req.method, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode, r.headers);
        r.pipe(res);
      });
      up.on('error', () => res.destroy());
      req.pipe(up);
    };
    if (slow && req.headers['sec-fetch-mode'] === 'navigate') setTimeout(go, 6000);
    else go();
  });
  await new Promise((r) => proxy.listen(PORT + 1, '127.0.0.1', r));
  const chunk = join(dir, 'dist/split_catalogue.wasm');
  const mine = readFileSync(chunk);
  try {
    const base = `http://127.0.0.1:${PORT + 1}`;
    await page.goto(`${base}/`);
    await controlled(page);
    // This build's catalogue code is not kept yet.
    await page.evaluate(async () => {
      for (const n of await caches.keys()) await (await caches.open(n)).delete('/split_catalogue.wasm');
    });
    // A deploy lands: the server's catalogue code is another build's.
    writeFileSync(chunk, readFileSync(join(dir, 'dist/split_citizen.wasm')));
    for (const ext of ['.br', '.gz']) rmSync(chunk + ext, { force: true });
    slow = true;
    const answers = [];
    page.on('response', (r) => r.url().endsWith('/split_catalogue.wasm') && answers.push(r.status()));
    const res = await page.goto(`${base}/services`, { timeout: 20_000 });
    expect(res.fromServiceWorker()).toBe(true);
    await expect.poll(() => answers.length, { timeout: 20_000 }).toBeGreaterThan(0);
    expect(answers.every((s) => s === 503)).toBe(true);
    await expect(page.locator('.procedure-card')).toHaveCount(0);
  } finally {
    slow = false;
    writeFileSync(chunk, mine);
    proxy.close();
  }
});

test('a repeat visit to a QR batch page takes its shell and its code from the worker, not the network', async ({ page, context }) => {
  deploy();
  await page.goto('/01/08930000000019/10/L2504');
  const name = await h1(page).textContent();
  expect(name).toBeTruthy();
  await controlled(page);
  // What went to the network on the repeat visit: the page's own requests
  // not answered by the worker, and the worker's fetches.
  const net = [];
  context.on('request', (r) => { if (r.serviceWorker()) net.push(new URL(r.url()).pathname); });
  page.on('requestfinished', async (r) => {
    const res = await r.response();
    if (res && !res.fromServiceWorker()) net.push(new URL(r.url()).pathname);
  });
  await page.reload();
  await expect(h1(page)).toHaveText(name);
  await expect(page.locator('body')).toContainText('L2504');
  // Only the batch's data (network first, for a recall) and the update check.
  expect(net.filter((p) => !p.startsWith('/api/') && p !== '/sw.js')).toEqual([]);
  expect(net.filter((p) => p.startsWith('/api/')).length).toBeGreaterThan(0);
});

test('on a repeat visit the worker asks for the page\'s data as it opens the page, before the app asks', async ({ page, context }) => {
  deploy();
  await page.goto('/01/08930000000019/10/L2504');
  await expect(h1(page)).toBeVisible();
  await controlled(page);
  // The first controlled visit shows the worker which data the page reads.
  await page.reload();
  await expect(h1(page)).toBeVisible();
  const t = {};
  context.on('request', (r) => { if (r.serviceWorker() && r.url().includes('/batches/')) t.worker ??= Date.now(); });
  page.on('request', (r) => { if (r.url().includes('/batches/')) t.page ??= Date.now(); });
  await page.reload();
  await expect(h1(page)).toBeVisible();
  await expect.poll(() => t.page && t.worker).toBeTruthy();
  // Without it the worker's fetch can only follow the page's request.
  expect(t.worker).toBeLessThan(t.page);
  // Taken once: the page got the answer, and a second read is a new fetch.
  await expect(page.locator('body')).toContainText('L2504');
});
