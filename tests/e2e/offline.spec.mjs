// The app's own service worker (sw/sw.js, built into dist/sw.js by
// scripts/make-sw.sh): pages opened once open again with no network.
import { test, expect } from './clock.mjs';
import { controlled } from './worker.mjs';

// Whatever the suite's default, these tests need the worker.
test.use({ serviceWorkers: 'allow' });


const h1 = (page) => page.getByRole('heading', { level: 1 });

test('a procedure page opened once opens again offline, with its saved data', async ({ page, context }) => {
  // A first visit: the page loads before the worker exists.
  await page.goto('/services/1.001193');
  await expect(h1(page)).toHaveText('Đăng ký khai sinh');
  await controlled(page);

  await context.setOffline(true);
  try {
    await page.reload();
    await expect(h1(page)).toHaveText('Đăng ký khai sinh');
    await expect(page.getByRole('link', { name: 'Nộp hồ sơ trực tuyến' }).first()).toBeVisible();
    // The answer is the saved copy, which says when it was made.
    const answer = await page.evaluate(async () => {
      const r = await fetch('/api/v1/procedures/1.001193', { headers: { Accept: 'application/json' } });
      return { status: r.status, saved: r.headers.get('X-Cuaso-Saved'), name: (await r.json()).name.vi };
    });
    expect(answer.status).toBe(200);
    expect(answer.name).toBe('Đăng ký khai sinh');
    expect(Date.now() - Date.parse(answer.saved)).toBeLessThan(5 * 60_000);
  } finally {
    await context.setOffline(false);
  }
  // Online, the network's answer: no saved-copy header.
  const fresh = await page.evaluate(async () =>
    (await fetch('/api/v1/procedures/1.001193', { headers: { Accept: 'application/json' } })).headers.get('X-Cuaso-Saved'));
  expect(fresh).toBeNull();
});

test('a site guide opened once opens again offline, with its photo', async ({ page, context }) => {
  await page.goto('/s/vinh-moc');
  await expect(h1(page)).toHaveText('Địa đạo Vịnh Mốc');
  const photo = page.locator('img[src^="/public/sites/"]').first();
  await expect(photo).toHaveJSProperty('complete', true);
  await controlled(page);
  await context.setOffline(true);
  try {
    await page.reload();
    await expect(h1(page)).toHaveText('Địa đạo Vịnh Mốc');
    await expect(photo).toHaveJSProperty('complete', true);
    expect(await photo.evaluate((img) => img.naturalWidth)).toBeGreaterThan(0);
  } finally {
    await context.setOffline(false);
  }
});

test('a page never visited opens offline in the app shell, not the browser error', async ({ page, context }) => {
  await page.goto('/');
  await expect(h1(page)).toHaveText('Bạn cần làm gì hôm nay?');
  await controlled(page);
  await context.setOffline(true);
  try {
    const res = await page.goto('/track');
    expect(res.fromServiceWorker()).toBe(true);
    expect(res.status()).toBe(200);
    await expect(page.locator('.brand__name')).toHaveText('Cửa Số');
    await expect(page.getByRole('navigation', { name: 'Điều hướng chính' })).toBeVisible();
    // Its code never came: the app says it is offline, in plain words.
    await expect(page.getByRole('alert')).toContainText('Bạn đang ngoại tuyến');
    // The home page works offline too.
    await page.goto('/');
    await expect(h1(page)).toHaveText('Bạn cần làm gì hôm nay?');
  } finally {
    await context.setOffline(false);
  }
});

test('what holds secrets or personal data is never kept', async ({ page, context }) => {
  await page.goto('/');
  await controlled(page);
  await page.reload(); // every request of this page now goes through the worker
  await page.evaluate(async () => {
    // A dossier lookup (with and without its secret) and a non-GET.
    await fetch('/api/v1/dossiers/QT.XA-250101-0001', { headers: { 'X-Dossier-Secret': 'ABCD2345' } });
    await fetch('/api/v1/dossiers/QT.XA-250101-0001');
    await fetch('/api/v1/dossiers/statuses', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"items":[]}' });
    await fetch('/api/v1/fields', { headers: { Accept: 'application/json' } });
  });
  const kept = () => page.evaluate(async () => {
    const keys = [];
    for (const name of await caches.keys()) {
      for (const r of await (await caches.open(name)).keys()) keys.push(new URL(r.url).pathname);
    }
    return keys;
  });
  // The public answer is kept (just after it is answered), the others never.
  await expect.poll(kept).toContain('/api/v1/fields');
  expect((await kept()).filter((k) => k.includes('dossiers'))).toEqual([]);
  await context.setOffline(true);
  try {
    const offline = await page.evaluate(async () => {
      try { await fetch('/api/v1/dossiers/QT.XA-250101-0001'); return 'answered'; } catch { return 'failed'; }
    });
    expect(offline).toBe('failed');
  } finally {
    await context.setOffline(false);
  }
});

test('a new worker saves this build\'s shell, carries over what the older build kept, and deletes its caches', async ({ page, context }) => {
  // Caches an older build left behind, made before this build's worker installs.
  await context.addInitScript(() => {
    if (navigator.serviceWorker.controller) return;
    // The older build had the catalogue's code and the Vietnamese strings.
    const old = { 'cuaso-shell-old': ['/x'], 'another-app': ['/x'],
      'cuaso-code-old': ['/split_catalogue.wasm', '/strings-vi-0123456789abcdef.txt', '/chunk_999.wasm'] };
    window.made = Promise.all(Object.entries(old).map(async ([name, paths]) => {
      const c = await caches.open(name);
      for (const p of paths) await c.put(p, new Response('old'));
    }));
  });
  await page.goto('/');
  await expect(page.locator('.brand__name')).toHaveText('Cửa Số');
  await page.evaluate(() => window.made);
  await controlled(page);
  const state = await page.evaluate(async () => {
    const names = await caches.keys();
    const shell = names.find((n) => /^cuaso-shell-[0-9a-f]{16}$/.test(n));
    const saved = shell && (await (await caches.open(shell)).keys()).map((r) => new URL(r.url).pathname);
    const code = names.find((n) => /^cuaso-code-[0-9a-f]{16}$/.test(n));
    const carried = code && (await (await caches.open(code)).keys()).map((r) => new URL(r.url).pathname);
    const reg = await navigator.serviceWorker.getRegistration();
    const text = code && (await (await (await caches.open(code)).match('/split_catalogue.wasm'))?.arrayBuffer());
    return { names, saved, carried, catalogueBytes: text?.byteLength, updateViaCache: reg.updateViaCache, script: reg.active.scriptURL };
  });
  expect(state.names).not.toContain('cuaso-shell-old');
  expect(state.names).not.toContain('cuaso-code-old');
  expect(state.names).toContain('another-app'); // not ours: left alone
  // The shell, the hashed JS, wasm and CSS, the chunk loader and the emblem.
  expect(state.saved).toContain('/');
  expect(state.saved).toContain('/__wasm_split.js');
  expect(state.saved).toContain('/public/emblem.svg');
  for (const re of [/^\/cuaso-[0-9a-f]+\.js$/, /^\/cuaso-[0-9a-f]+_bg\.wasm$/, /^\/main-[0-9a-f]+\.css$/]) {
    expect(state.saved.some((p) => re.test(p))).toBe(true);
  }
  // What the older build kept for offline use, in this build's files: the
  // catalogue with the chunks it loads, and the Vietnamese strings.
  expect(state.carried).toContain('/split_catalogue.wasm');
  expect(state.catalogueBytes).toBeGreaterThan(100);
  expect(state.carried.filter((p) => p.startsWith('/chunk_')).length).toBeGreaterThan(0);
  expect(state.carried).not.toContain('/chunk_999.wasm');
  expect(state.carried.filter((p) => /^\/strings-vi-[0-9a-f]{16}\.txt$/.test(p)).length).toBe(1);
  expect(state.carried).not.toContain('/strings-vi-0123456789abcdef.txt');
  expect(new URL(state.script).pathname).toBe('/sw.js');
  // The browser asks the server for sw.js on each update check, not its HTTP cache.
  expect(['imports', 'none']).toContain(state.updateViaCache);
});

test('sw.js is built from this build\'s files and the server has it revalidated', async ({ request }) => {
  const index = await (await request.get('/index.html')).text();
  const res = await request.get('/sw.js');
  expect(res.status()).toBe(200);
  expect(res.headers()['content-type']).toContain('javascript');
  const sw = await res.text();
  const wasm = index.match(/\/cuaso-[0-9a-f]+_bg\.wasm/)[0];
  expect(sw).toContain(`"${wasm}"`);
  expect(sw).toMatch(/const VERSION = '[0-9a-f]{16}';/);
  expect(sw).not.toContain('/*PRECACHE*/');
  // A proxy must not keep an old worker for a day.
  expect(res.headers()['cache-control']).toMatch(/no-cache|max-age=0/);
});
