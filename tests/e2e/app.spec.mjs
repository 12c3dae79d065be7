// What a citizen on a phone sees and does, in a real browser against the real server.
import { test, expect } from './clock.mjs';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { ROOT } from './playwright.config.mjs';

/** Picks a language from the header's language menu. */
async function chooseLanguage(page, name) {
  await page.locator('.lang-menu > summary').click();
  await page.locator('.lang-menu__list').getByRole('button', { name, exact: true }).click();
}

test('the home page renders in Vietnamese with the four journeys', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Bạn cần làm gì hôm nay?');
  await expect(page.locator('html')).toHaveAttribute('lang', 'vi');
  await expect(page).toHaveTitle('Trang chủ · Cửa Số');
  await expect(page.locator('.brand__province')).toHaveText('Tỉnh Quảng Trị');
  const nav = page.getByRole('navigation', { name: 'Điều hướng chính' });
  for (const label of ['Dịch vụ công', 'Tra cứu hồ sơ', 'Quét QR', 'Du lịch']) {
    await expect(nav.getByRole('link', { name: label })).toBeVisible();
  }
  // The bottom bar sits at the bottom of a phone screen, within thumb reach.
  const box = await nav.boundingBox();
  expect(box.y + box.height).toBeGreaterThan(800);
  await expect(page.getByLabel('Tìm thủ tục hành chính')).toBeVisible();
});

test('searching "dang ky khai sinh" leads to the birth registration page', async ({ page }) => {
  await page.goto('/');
  await page.getByLabel('Tìm thủ tục hành chính').fill('dang ky khai sinh');
  await page.getByLabel('Tìm thủ tục hành chính').press('Enter');
  await expect(page).toHaveURL(/\/services\?q=dang%20ky%20khai%20sinh$/);
  const first = page.locator('.procedure-card').first();
  await expect(first.getByRole('link')).toHaveText('Đăng ký khai sinh');
  await expect(first).toContainText('Miễn phí');
  await first.getByRole('link').click();
  await expect(page).toHaveURL('/services/1.001193');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Đăng ký khai sinh');
  await expect(page).toHaveTitle('Đăng ký khai sinh · Cửa Số');
  await expect(page.getByRole('link', { name: 'Nộp hồ sơ trực tuyến' }).first()).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Giấy tờ cần chuẩn bị' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Các bước thực hiện' })).toBeVisible();
});

test('the catalogue searches as you type and filters by field', async ({ page }) => {
  await page.goto('/services');
  await expect(page.locator('.results__count')).toContainText('39 thủ tục');
  await page.getByLabel('Tìm thủ tục hành chính').pressSequentially('thuong tru', { delay: 30 });
  await expect(page).toHaveURL(/q=thuong%20tru/);
  await expect(page.locator('.procedure-card').first().getByRole('link')).toHaveText('Đăng ký thường trú');
  await page.getByLabel('Tìm thủ tục hành chính').fill('');
  await page.getByLabel('Lĩnh vực').selectOption('ly-lich-tu-phap');
  await expect(page).toHaveURL(/field=ly-lich-tu-phap/);
  await expect(page.locator('.procedure-card')).toHaveCount(3);
  await page.getByLabel('Tìm thủ tục hành chính').fill('xyzzy khong co');
  await expect(page.getByText('Không tìm thấy thủ tục nào cho “xyzzy khong co”.')).toBeVisible();
  // What was typed stays in the box.
  await expect(page.getByLabel('Tìm thủ tục hành chính')).toHaveValue('xyzzy khong co');
});

test('switching language offline on a page keeps it readable; back online it switches', async ({ page, context }) => {
  await page.goto('/services/1.001193');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Đăng ký khai sinh');
  await context.setOffline(true);
  await chooseLanguage(page, 'English');
  await page.waitForTimeout(500);
  await expect(page.getByRole('link', { name: 'Nộp hồ sơ trực tuyến' }).first()).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'vi');
  await context.setOffline(false);
  await chooseLanguage(page, 'English');
  await expect(page.getByRole('link', { name: 'Apply online' }).first()).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
});

test('English survives a reload and the whole interface follows', async ({ page }) => {
  await page.goto('/services/1.001193');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Đăng ký khai sinh');
  await chooseLanguage(page, 'English');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Birth registration');
  await expect(page.getByRole('link', { name: 'Apply online' }).first()).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Birth registration');
  await expect(page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Public services' })).toBeVisible();
  await expect(page.locator('.brand__province')).toHaveText('Quảng Trị Province');
  await chooseLanguage(page, 'Tiếng Việt');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Đăng ký khai sinh');
});

test('deep links reload and unknown pages get a real 404', async ({ page }) => {
  await page.goto('/services?q=ho%20chieu');
  await expect(page.locator('.procedure-card').first()).toContainText('hộ chiếu');
  await page.reload();
  await expect(page.getByLabel('Tìm thủ tục hành chính')).toHaveValue('ho chieu');
  await page.goto('/trang-khong-ton-tai');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Không tìm thấy trang');
  await expect(page).toHaveTitle('Không tìm thấy trang · Cửa Số');
  await page.goto('/s/vinh-moc');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Địa đạo Vịnh Mốc');
  await page.goto('/01/08930000000017/10/L2408');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Mã truy xuất không hợp lệ');
});

test('bad codes and unknown procedures get a clear message, not a blank page', async ({ page }) => {
  await page.goto('/services/abc');
  await expect(page.getByRole('alert')).toContainText('Mã thủ tục không đúng dạng');
  await page.goto('/services/9.999999');
  await expect(page.getByRole('alert')).toContainText('Không có thủ tục nào mang mã này');
});

function startServer(port, db) {
  const child = spawn('./target/server/cuaso-server', ['--db', db, '--dist', 'dist', '--listen', `127.0.0.1:${port}`],
    { cwd: ROOT, stdio: 'ignore' });
  return child;
}

async function waitHealthy(port) {
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/api/v1/health`);
      if (r.ok) return;
    } catch { /* not up yet */ }
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error(`server on ${port} did not start`);
}

test('when the server stops, the app explains and recovers on retry', async ({ page }) => {
  // The catalogue's code is a lazy chunk that was never fetched: the outage
  // hits both the chunk and the API, and the retry must bring both.
  const port = 8091;
  const db = `${ROOT}/tests/e2e/.tmp/outage.db`;
  rmSync(db, { force: true });
  let server = startServer(port, db);
  try {
    await waitHealthy(port);
    await page.goto(`http://127.0.0.1:${port}/`);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    server.kill('SIGTERM');
    await new Promise(r => server.once('exit', r));

    await page.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link', { name: 'Dịch vụ công' }).click();
    const alert = page.getByRole('alert');
    await expect(alert).toContainText('Chưa kết nối được máy chủ');
    await expect(alert.getByRole('button', { name: 'Thử lại' })).toBeVisible();
    // The shell is still there: header and navigation, not a blank page.
    await expect(page.locator('.brand__name')).toHaveText('Cửa Số');

    server = startServer(port, db);
    await waitHealthy(port);
    await alert.getByRole('button', { name: 'Thử lại' }).click();
    await expect(page.locator('.procedure-card').first()).toBeVisible();
    await expect(page.getByRole('alert')).toHaveCount(0);
  } finally {
    server.kill('SIGTERM');
  }
});

test('offline, the app says so in plain words and nothing typed is lost', async ({ page, context }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await context.setOffline(true);
  await page.getByLabel('Tìm thủ tục hành chính').fill('tam tru');
  await page.getByLabel('Tìm thủ tục hành chính').press('Enter');
  // Neither the catalogue's code nor its data can come: one plain message.
  await expect(page.getByRole('alert')).toContainText('Bạn đang ngoại tuyến');
  await expect(page).toHaveURL(/q=tam%20tru/);
  await context.setOffline(false);
  await page.getByRole('button', { name: 'Thử lại' }).click();
  await expect(page.getByLabel('Tìm thủ tục hành chính')).toHaveValue('tam tru');
  await expect(page.locator('.procedure-card').first().getByRole('link')).toHaveText('Đăng ký tạm trú');
});

test.describe('without the service worker', () => {
  // page.route cannot hold a request the service worker answers.
  test.use({ serviceWorkers: 'block' });

test('leaving a page aborts its request instead of letting it run on', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  // Hold the procedure request so it is still in flight when the user leaves.
  await page.route('**/api/v1/procedures/1.001193', async route => {
    await new Promise(r => setTimeout(r, 3000));
    await route.continue().catch(() => {});
  });
  const failed = page.waitForEvent('requestfailed', r => r.url().endsWith('/api/v1/procedures/1.001193'));
  const started = page.waitForRequest(r => r.url().endsWith('/api/v1/procedures/1.001193'));
  await page.evaluate(() => history.pushState({}, '', '/services/1.001193'));
  await page.evaluate(() => dispatchEvent(new PopStateEvent('popstate')));
  await started;
  await expect(page.getByRole('status')).toBeVisible();
  await page.getByRole('link', { name: 'Cửa Số, trang chủ' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Bạn cần làm gì hôm nay?');
  const request = await failed;
  expect(request.failure().errorText).toContain('ABORTED');
});
});

test('back and forward bring the earlier search back into the box', async ({ page }) => {
  await page.goto('/services?q=khai%20tu');
  const box = page.getByLabel('Tìm thủ tục hành chính');
  await expect(box).toHaveValue('khai tu');
  await expect(page.locator('.procedure-card').first().getByRole('link')).toHaveText('Đăng ký khai tử');
  // A link to another search, followed inside the app.
  await page.evaluate(() => { history.pushState({}, '', '/services?q=ket%20hon'); dispatchEvent(new PopStateEvent('popstate')); });
  await expect(box).toHaveValue('ket hon');
  await expect(page.locator('.procedure-card').first().getByRole('link')).toHaveText('Đăng ký kết hôn');
  await page.goBack();
  await expect(box).toHaveValue('khai tu');
  await expect(page.locator('.procedure-card').first().getByRole('link')).toHaveText('Đăng ký khai tử');
});

test('a link back to the search the page opened with replaces what was typed since', async ({ page }) => {
  // Typing does not write back into the box, so the box must still follow
  // the URL when it names the query the page first showed.
  await page.goto('/services?q=khai%20tu');
  const box = page.getByLabel('Tìm thủ tục hành chính');
  await expect(box).toHaveValue('khai tu');
  await box.fill('ket hon');
  await expect(page).toHaveURL(/\/services\?q=ket%20hon$/);
  await page.evaluate(() => { history.pushState({}, '', '/services?q=khai%20tu'); dispatchEvent(new PopStateEvent('popstate')); });
  await expect(box).toHaveValue('khai tu');
  await expect(page.locator('.procedure-card').first().getByRole('link')).toHaveText('Đăng ký khai tử');
});

test('a first visit to the home page fetches no lazy chunk; the catalogue fetches its own', async ({ page }) => {
  const wasm = [];
  page.on('request', r => { if (r.url().endsWith('.wasm')) wasm.push(new URL(r.url()).pathname); });
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await page.waitForLoadState('networkidle');
  expect(wasm.filter(p => /\/(split|chunk)_/.test(p))).toEqual([]);
  await page.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link', { name: 'Dịch vụ công' }).click();
  await expect(page.locator('.procedure-card').first()).toBeVisible();
  expect(wasm.some(p => p.includes('split_catalogue'))).toBe(true);
});
