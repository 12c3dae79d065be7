// A community digital helper applies for a citizen on the helper's own phone:
// sign in, fill the form with the citizen, the citizen's consent, the
// hand-over (print, Web Share), "Kết thúc phiên" leaving nothing of the
// citizen on the device, and the citizen opening the hand-over link on their
// own phone.
import { test, expect, newContext } from './clock.mjs';
import AxeBuilder from '@axe-core/playwright';
import { fillBirth } from './birth.mjs';
import { lines } from './layout.mjs';

const HELPER = { username: 'tocns.giolinh', password: 'giup ba con nop ho so', name: 'Nguyễn Thị Hoa' };
const MOTHER = 'Trần Thị Mận';
const CITIZEN_PHONE = '0987 654 321';

async function axe(page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`)).toEqual([]);
}

async function signIn(page) {
  await page.goto('/helper');
  await page.getByRole('link', { name: 'Đăng nhập' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Đăng nhập hỗ trợ viên');
  await page.locator('#login-username').fill(HELPER.username);
  await page.locator('#login-password').fill(HELPER.password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await expect(page).toHaveURL(/\/helper$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hỗ trợ người dân nộp hồ sơ');
  await expect(page.getByText(HELPER.name).first()).toBeVisible();
}

/** Everything this origin keeps on the device: localStorage and IndexedDB. */
async function deviceStorage(page) {
  return page.evaluate(async () => {
    const local = {};
    for (let i = 0; i < localStorage.length; i++) {
      const k = localStorage.key(i);
      local[k] = localStorage.getItem(k);
    }
    const idb = await new Promise((resolve) => {
      const open = indexedDB.open('cuaso');
      open.onerror = () => resolve([]);
      open.onsuccess = () => {
        const db = open.result;
        if (!db.objectStoreNames.contains('files')) { resolve([]); return; }
        const req = db.transaction('files').objectStore('files').getAllKeys();
        req.onsuccess = () => resolve(req.result.map(String));
        req.onerror = () => resolve([]);
      };
    });
    return { local, idb };
  });
}

test('a helper applies for a citizen with consent, hands over, and the device forgets the citizen', async ({ page, browser, request }) => {
  // Web Share as on a phone: record what the page shares.
  await page.addInitScript(() => {
    window.__shared = [];
    navigator.share = (data) => { window.__shared.push(data); return Promise.resolve(); };
  });
  await signIn(page);
  await axe(page);
  await expect(page.getByText('Bạn chưa nộp hộ hồ sơ nào.')).toBeVisible();

  await page.getByRole('link', { name: 'Chọn thủ tục để nộp hộ' }).click();
  await expect(page).toHaveURL(/\/services$/);
  await fillBirth(page, { mother: MOTHER });
  // Helper mode: a banner, and the draft kept apart from the device owner's own.
  await expect(page.getByText(/Chế độ hỗ trợ: Nguyễn Thị Hoa đang nộp hộ/)).toBeVisible();
  let stored = await deviceStorage(page);
  expect(Object.keys(stored.local).filter((k) => k.startsWith('cuaso.helper.draft.'))).toEqual(['cuaso.helper.draft.1.001193']);
  expect(Object.keys(stored.local).filter((k) => k.startsWith('cuaso.draft.'))).toEqual([]);
  expect(stored.idb.length).toBe(1);

  // The citizen's consent is required: nothing is sent without it.
  await expect(page.getByRole('heading', { name: 'Người dân xác nhận' })).toBeVisible();
  await expect(page.getByText(/Tôi đồng ý để Nguyễn Thị Hoa \(Tổ công nghệ số cộng đồng/)).toBeVisible();
  let posts = 0;
  page.on('request', (r) => { if (r.method() === 'POST' && r.url().endsWith('/api/v1/helper/dossiers')) posts++; });
  await page.getByRole('button', { name: 'Nộp hồ sơ thay người dân' }).click();
  const summary = page.locator('.error-summary');
  await expect(summary).toBeFocused();
  await expect(summary).toContainText('Người dân cần đọc và đồng ý trước khi nộp');
  // Each empty field says what it needs (issue 18, item 10).
  await expect(page.locator('#consent-name-error')).toContainText('Nhập họ và tên người dân');
  await expect(page.locator('#consent-phone-error')).toContainText('Nhập số điện thoại của người dân');
  await expect(summary).not.toContainText('Nhập câu trả lời');
  expect(posts).toBe(0);
  await axe(page);

  // After a reload (the CSRF token gone from memory) the submission still
  // goes through: the token is read again from the session (issue 18, item 1).
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Người dân xác nhận' })).toBeVisible();
  await page.locator('#consent-name').fill(MOTHER);
  await page.locator('#consent-phone').fill(CITIZEN_PHONE);
  await page.getByLabel('Tôi đã đọc và đồng ý').check();
  // A double tap sends once (the same idempotency key).
  await page.getByRole('button', { name: 'Nộp hồ sơ thay người dân' }).dblclick();

  // The hand-over.
  await expect(page).toHaveURL(/\/helper\/handover\/[A-Z0-9.]+-\d{6}-\d{4}$/);
  const code = page.url().split('/').pop();
  await expect(page.getByRole('heading', { name: 'Bàn giao cho người dân' })).toBeVisible();
  await expect(page.locator('.dossier-code')).toHaveText(code);
  const secret = (await page.locator('.facts .code').innerText()).trim();
  expect(secret.length).toBeGreaterThan(5);
  await expect(page.locator('.receipt svg.qr')).toBeVisible();
  await expect(page.getByText(/Nộp hộ bởi Nguyễn Thị Hoa, Tổ công nghệ số cộng đồng/)).toBeVisible();
  // Whose receipt it is: the citizen (as consented) and the procedure, on the page and on the printed receipt.
  await expect(page.locator('#hp-for')).toHaveText(`Hồ sơ “Đăng ký khai sinh” của ${MOTHER}. Chỉ đưa biên nhận và mã bí mật cho đúng người này.`);
  await expect(page.locator('.receipt .facts')).toContainText(`Người dân${MOTHER}`);
  await expect(page.locator('.receipt .lead')).toHaveText('Đăng ký khai sinh');
  // The code never breaks inside, at 320 and 390 px.
  for (const width of [320, 390]) {
    await page.setViewportSize({ width, height: 844 });
    expect(await lines(page.locator('.dossier-code')), `at ${width}px`).toBe(1);
  }
  await axe(page);
  await page.screenshot({ path: 'test-results/helper-handover.png', fullPage: true });

  // In English too.
  await page.evaluate(() => localStorage.setItem('cuaso.lang', 'en'));
  await page.reload();
  await expect(page.locator('#hp-for')).toContainText(`for ${MOTHER}`);
  await expect(page.locator('.receipt .facts')).toContainText(`Citizen${MOTHER}`);
  await axe(page);
  await page.evaluate(() => localStorage.setItem('cuaso.lang', 'vi'));
  await page.reload();
  await expect(page.locator('#hp-for')).toContainText(MOTHER);
  await page.getByRole('button', { name: 'Gửi qua Zalo, tin nhắn…' }).click();
  const shared = await page.evaluate(() => window.__shared);
  expect(shared).toHaveLength(1);
  expect(shared[0].url).toMatch(new RegExp(`/track/${code.replace(/\./g, '\\.')}#s=${secret}$`));
  const link = shared[0].url;

  // Sent, but not kept as the device owner's dossier; the draft is gone.
  stored = await deviceStorage(page);
  expect(stored.local['cuaso.my'] ?? '').not.toContain(code);
  expect(Object.keys(stored.local).filter((k) => k.startsWith('cuaso.helper.draft.'))).toEqual([]);

  // "Kết thúc phiên": nothing of the citizen remains on the device.
  await page.getByRole('button', { name: 'Kết thúc phiên' }).click();
  await expect(page).toHaveURL(/\/helper$/);
  stored = await deviceStorage(page);
  const everything = JSON.stringify(stored.local);
  for (const trace of [code, secret, MOTHER, CITIZEN_PHONE, '045195001234', 'giay-chung-sinh']) {
    expect(everything).not.toContain(trace);
  }
  expect(stored.idb).toEqual([]);
  await page.goto(`/helper/handover/${code}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Không còn biên nhận để bàn giao');

  // The helper's own list: the code and status, no personal data.
  await page.goto('/helper');
  const assisted = page.locator('section', { has: page.getByRole('heading', { name: 'Hồ sơ bạn đã nộp hộ' }) });
  await expect(assisted).toContainText(code);
  await expect(assisted).toContainText('Mới đăng ký');
  await expect(assisted).not.toContainText(MOTHER);
  expect(posts).toBe(1);

  // The citizen opens the link on their own phone: the whole dossier.
  const citizen = await newContext(browser, request, { viewport: { width: 390, height: 844 }, locale: 'vi-VN' });
  const phone = await citizen.newPage();
  await phone.goto(link);
  await expect(phone.locator('.dossier__code')).toHaveText(code);
  await expect(phone.getByText('Nộp hộ bởi')).toBeVisible();
  await expect(phone.getByText(/Nguyễn Thị Hoa \(tocns\.giolinh\)/)).toBeVisible();
  await expect(phone.getByText(`Người dân ${MOTHER} đã đồng ý ngày 23/11/2026`)).toBeVisible();
  await expect(phone.getByRole('heading', { name: 'Liên hệ' })).toBeVisible();
  // The secret leaves the address bar, and the phone remembers the dossier.
  await expect(phone).toHaveURL(new RegExp(`/track/${code.replace(/\./g, '\\.')}$`));
  const kept = await phone.evaluate(() => localStorage.getItem('cuaso.track'));
  expect(kept).toContain(secret);
  await axe(phone);
  await citizen.close();
});

test('signed out, the helper page asks to sign in; a producer account is turned away', async ({ page }) => {
  await page.goto('/helper');
  await expect(page.getByRole('link', { name: 'Đăng nhập' })).toBeVisible();
  await axe(page);
  await page.goto('/producer/login?next=%2Fhelper');
  await page.locator('#login-username').fill('tieucua');
  await page.locator('#login-password').fill('hat tieu thom cay');
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  // A producer goes to the producer pages, never helper mode.
  await expect(page).toHaveURL(/\/producer$/);
  await page.goto('/helper');
  await expect(page.getByText('Bạn đang đăng nhập bằng tài khoản nhà sản xuất OCOP')).toBeVisible();
  expect(await page.evaluate(() => localStorage.getItem('cuaso.helper'))).toBeNull();
});

// Issue 18, item 1: a 403 is said as what happened, never as a bad address.
test('a helper opening the producer pages is told the account may not, with a way to sign in', async ({ page }) => {
  await signIn(page);
  for (const [lang, text] of [
    ['vi', 'Tài khoản đang đăng nhập không được làm việc này. Hãy đăng nhập bằng đúng tài khoản.'],
    ['en', 'The account signed in here may not do this. Sign in with the right account.'],
  ]) {
    await page.evaluate((l) => localStorage.setItem('cuaso.lang', l), lang);
    await page.goto('/producer');
    const alert = page.getByRole('alert');
    await expect(alert).toContainText(text);
    await expect(alert.getByRole('link', { name: lang === 'vi' ? 'Đăng nhập' : 'Sign in' })).toHaveAttribute('href', /^\/producer\/login\?next=/);
    await expect(page.getByText(/Địa chỉ trang có tham số|The page address has/)).toHaveCount(0);
    await axe(page);
  }
});
