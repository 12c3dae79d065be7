// Applying online, as a citizen on a phone: question pages, drafts that
// survive a reload, attachments, check answers, submission that happens once,
// and the confirmation.
import { test, expect } from './clock.mjs';
import AxeBuilder from '@axe-core/playwright';
import { PNG, cont, fillBirth } from './birth.mjs';
import { lines } from './layout.mjs';

const BIRTH = '/services/1.001193';
const CODE_SHAPE = /^[A-Z0-9.]{2,12}-\d{6}-\d{4}$/;

async function axe(page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`)).toEqual([]);
}

/** Watches the submissions the page makes. */
function watchSubmissions(page) {
  const seen = [];
  page.on('response', async (r) => {
    if (r.url().endsWith('/api/v1/dossiers') && r.request().method() === 'POST') {
      let code = null;
      try { code = (await r.json()).code ?? null; } catch { /* not JSON */ }
      seen.push({ status: r.status(), code });
    }
  });
  return seen;
}

test('a full birth registration, with an attachment, through check answers to confirmation', async ({ page }) => {
  await fillBirth(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Kiểm tra lại thông tin trước khi gửi');
  const list = page.locator('.summary-list');
  await expect(list).toContainText('Nguyễn Thị Hoa');
  await expect(list).toContainText('12/03/1995');
  await expect(list).toContainText('12 Lê Duẩn, Phường Đông Hà, Quảng Trị');
  await expect(list).toContainText('giay-chung-sinh.png');
  await axe(page);

  // "Thay đổi" goes to the page and comes back to check answers.
  await page.getByRole('link', { name: /Thay đổi Tên của trẻ|Thay đổi Họ, chữ đệm và tên của trẻ/ }).first().click();
  await expect(page).toHaveURL(/\/apply\/ten-tre\?from=check$/);
  await page.locator('#f-tre_ho_ten').fill('Lê Minh Anh');
  await cont(page);
  await expect(page).toHaveURL(/\/apply\/check$/);
  await expect(list).toContainText('Lê Minh Anh');

  const seen = watchSubmissions(page);
  await page.getByRole('button', { name: 'Đồng ý và gửi hồ sơ' }).click();
  await expect(page).toHaveURL(/\/my\/[A-Z0-9.]+-\d{6}-\d{4}$/);
  const code = await page.locator('.dossier-code').textContent();
  expect(code).toMatch(CODE_SHAPE);
  expect(seen).toEqual([{ status: 201, code }]);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Đã gửi hồ sơ');
  await expect(page.getByRole('img', { name: `Mã QR mở trang tra cứu hồ sơ ${code}` })).toBeVisible();
  await expect(page.getByText('Ngày hẹn trả kết quả')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Tiếp theo sẽ thế nào' })).toBeVisible();
  await expect(page.getByText('Miễn phí')).toBeVisible();
  await axe(page);

  // The dossier is on "Hồ sơ của tôi", and the draft is gone.
  await page.goto('/my');
  await expect(page.getByRole('link', { name: new RegExp(code.replace(/\./g, '\\.')) })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Đang soạn' })).toHaveCount(0);
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Hồ sơ bạn đang soạn dở' })).toHaveCount(0);
});

test('a reload in the middle of the form keeps every answer, and home offers to continue', async ({ page }) => {
  await fillBirth(page, { stopAt: 'nguoi-khai' });
  await page.reload();
  await expect(page.locator('#f-ho_ten')).toHaveValue('Nguyễn Thị Hoa');
  await expect(page.locator('#f-ngay_sinh-d')).toHaveValue('12');
  await expect(page.locator('#f-ngay_sinh-m')).toHaveValue('3');
  await expect(page.locator('#f-ngay_sinh-y')).toHaveValue('1995');
  await expect(page.locator('#f-so_dinh_danh')).toHaveValue('045195001234');
  await page.getByRole('link', { name: 'Quay lại' }).click();
  await expect(page.getByLabel('Mẹ', { exact: true })).toBeChecked();

  await page.goto('/');
  const banner = page.getByRole('region', { name: 'Hồ sơ bạn đang soạn dở' });
  await banner.getByRole('link', { name: 'Tiếp tục: Đăng ký khai sinh' }).click();
  // It resumes at the first question not yet answered.
  await expect(page).toHaveURL(/\/apply\/lien-he$/);
  await page.goto(BIRTH);
  await expect(page.getByText('Bạn có một hồ sơ đang soạn dở')).toBeVisible();
  await page.getByRole('button', { name: 'Xóa bản nháp' }).click();
  await expect(page.getByText('Đã xóa bản nháp.')).toBeVisible();
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Hồ sơ bạn đang soạn dở' })).toHaveCount(0);
});

test('errors appear at the field and in a summary that links to it, and what was typed stays', async ({ page }) => {
  await fillBirth(page, { stopAt: 'nguoi-khai' });
  await page.locator('#f-so_dinh_danh').fill('099195001234'); // 099 is no province
  await page.locator('#f-ngay_sinh-y').fill('2035'); // in the future
  await cont(page);
  await expect(page).toHaveURL(/\/apply\/nguoi-khai$/);
  const summary = page.getByRole('alert').filter({ hasText: 'Có thông tin cần sửa' });
  await expect(summary).toBeFocused();
  await expect(page.locator('#f-so_dinh_danh-error')).toContainText('099');
  await expect(page.locator('#f-so_dinh_danh')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#f-so_dinh_danh')).toHaveValue('099195001234');
  await expect(page.locator('#f-ngay_sinh-error')).toBeVisible();
  await axe(page);
  await summary.getByRole('link').first().click();
  await expect(page.locator('#f-ngay_sinh-d')).toBeFocused();
});

test('an oversized file is refused before upload, with the limit shown', async ({ page }) => {
  await fillBirth(page, { stopAt: 'giay-to' });
  let uploads = 0;
  page.on('request', (r) => { if (r.url().includes('/api/v1/uploads')) uploads += 1; });
  const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(6 * 1024 * 1024, 0x20)]);
  await page.locator('#f-giay_chung_sinh').setInputFiles({ name: 'scan.pdf', mimeType: 'application/pdf', buffer: big });
  await expect(page.getByRole('alert').filter({ hasText: 'scan.pdf' })).toContainText('quá giới hạn 5 MB');
  await page.locator('#f-giay_chung_sinh').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
  await expect(page.getByRole('alert').filter({ hasText: 'notes.txt' })).toContainText('không đúng loại');
  expect(uploads).toBe(0);
  // Continue without a file says what to do.
  await cont(page);
  await expect(page.locator('#f-giay_chung_sinh-error')).toBeVisible();
});

test('a failed upload is retried without picking the file again, even after a reload', async ({ page }) => {
  await fillBirth(page, { stopAt: 'giay-to' });
  await page.route('**/api/v1/uploads', (route) => route.abort('connectionreset'));
  await page.locator('#f-giay_chung_sinh').setInputFiles({ name: 'giay-chung-sinh.png', mimeType: 'image/png', buffer: PNG });
  await expect(page.locator('.file__status--bad')).toContainText('Chưa tải lên được');
  // The file's bytes are on the device: a reload keeps it, still waiting.
  await page.reload();
  await expect(page.locator('.file__name')).toHaveText('giay-chung-sinh.png');
  await expect(page.getByRole('button', { name: 'Thử tải lại' })).toBeVisible();
  await cont(page);
  await expect(page.locator('#f-giay_chung_sinh-error')).toContainText('Thử tải lại');
  await page.unroute('**/api/v1/uploads');
  await page.getByRole('button', { name: 'Thử tải lại' }).click();
  await expect(page.locator('.file__status--ok')).toHaveText('Đã tải lên');
  await cont(page);
  await expect(page).toHaveURL(/\/apply\/check$/);
});

test('a large camera photo is made smaller on the device before it is uploaded', async ({ page }) => {
  await fillBirth(page, { stopAt: 'giay-to' });
  const sent = [];
  page.on('request', (r) => { if (r.url().endsWith('/api/v1/uploads')) sent.push(r.postDataBuffer()?.length ?? 0); });
  // A 4000×3000 photo full of detail, as a phone camera makes it (several MB).
  const original = await page.evaluate(async () => {
    const c = document.createElement('canvas');
    c.width = 4000; c.height = 3000;
    const g = c.getContext('2d');
    const img = g.createImageData(4000, 3000);
    for (let i = 0; i < img.data.length; i += 4) {
      const v = (i * 2654435761) >>> 24;
      img.data[i] = v; img.data[i + 1] = (v * 7) & 255; img.data[i + 2] = (v * 13) & 255; img.data[i + 3] = 255;
    }
    g.putImageData(img, 0, 0);
    const blob = await new Promise((r) => c.toBlob(r, 'image/jpeg', 0.95));
    const file = new File([blob], 'IMG_20261123.jpg', { type: 'image/jpeg' });
    const dt = new DataTransfer();
    dt.items.add(file);
    const input = document.getElementById('f-giay_chung_sinh');
    input.files = dt.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
    return file.size;
  });
  expect(original).toBeGreaterThan(5 * 1024 * 1024);
  await expect(page.locator('.file__status--ok')).toHaveText('Đã tải lên', { timeout: 20_000 });
  expect(sent.length).toBe(1);
  expect(sent[0]).toBeLessThan(original / 2);
  expect(sent[0]).toBeLessThan(5 * 1024 * 1024);
});

test('offline at submit: not sent yet, answers safe; back online it is sent exactly once', async ({ page, context }) => {
  await fillBirth(page);
  const seen = watchSubmissions(page);
  await context.setOffline(true);
  await page.getByRole('button', { name: 'Đồng ý và gửi hồ sơ' }).click();
  await expect(page.getByText('Hồ sơ chưa được gửi. Thông tin của bạn vẫn an toàn.')).toBeVisible();
  await expect(page).toHaveURL(/\/apply\/check$/);
  await context.setOffline(false);
  await expect(page).toHaveURL(/\/my\/[A-Z0-9.]+-\d{6}-\d{4}$/, { timeout: 20_000 });
  const code = await page.locator('.dossier-code').textContent();
  await page.waitForTimeout(500);
  expect(seen.filter((s) => s.status === 201)).toEqual([{ status: 201, code }]);
  expect(seen.every((s) => s.code === code)).toBe(true);
});

test('a double-clicked Submit yields one dossier', async ({ page }) => {
  await fillBirth(page);
  const seen = watchSubmissions(page);
  await page.getByRole('button', { name: 'Đồng ý và gửi hồ sơ' }).dblclick();
  await expect(page).toHaveURL(/\/my\/[A-Z0-9.]+-\d{6}-\d{4}$/);
  const code = await page.locator('.dossier-code').textContent();
  await page.waitForTimeout(500);
  expect(seen.filter((s) => s.status === 201).length).toBe(1);
  expect(seen.every((s) => s.code === code)).toBe(true);
});

test('the server re-checks everything, and its errors appear at the fields', async ({ page }) => {
  await fillBirth(page);
  // A client that skipped the checks: the phone number is tampered with in flight.
  await page.route('**/api/v1/dossiers', async (route) => {
    const body = route.request().postDataJSON();
    body.answers.dien_thoai = '0123456789';
    await route.continue({ postData: JSON.stringify(body) });
  });
  await page.getByRole('button', { name: 'Đồng ý và gửi hồ sơ' }).click();
  const summary = page.getByRole('alert').filter({ hasText: 'Có thông tin cần sửa' });
  await expect(summary).toBeVisible();
  await expect(page).toHaveURL(/\/apply\/check$/);
  await summary.getByRole('link').first().click();
  await expect(page).toHaveURL(/\/apply\/lien-he\?from=check$/);
  await expect(page.locator('#f-dien_thoai-error')).toBeVisible();
  await expect(page.locator('#f-dien_thoai')).toHaveValue('0912 345 678');
  await page.unroute('**/api/v1/dossiers');
  // Editing the field clears the server's complaint; the dossier then goes.
  await page.locator('#f-dien_thoai').fill('0912345678');
  await cont(page);
  await expect(page).toHaveURL(/\/apply\/check$/);
  await page.getByRole('button', { name: 'Đồng ý và gửi hồ sơ' }).click();
  await expect(page).toHaveURL(/\/my\/[A-Z0-9.]+-\d{6}-\d{4}$/);
});

/** A fee receipt (to the demo account) kept on the device, as the confirmation page keeps it. */
async function feeReceipt(page, code, fee) {
  const receipt = {
    code, secret: 'K7M2P9QX', procedure: '1.004222',
    procedure_name: { vi: 'Đăng ký thường trú', en: 'Permanent residence registration' },
    status: 1, received_at: '2026-11-23T09:15:00+07:00', promised_date: '2026-12-02', fee,
    agency: { vi: 'Công an xã, phường', en: 'Commune or ward police' },
    contact: { vi: 'Trụ sở công an xã, phường nơi bạn cư trú.', en: 'The police station of your commune or ward.' },
    payment: { bank_bin: '970415', bank_name: 'VietinBank', account: '0000000000', account_name: 'DEMO - KHONG CHUYEN TIEN' },
  };
  await page.goto('/');
  await page.evaluate((r) => localStorage.setItem('cuaso.my', JSON.stringify([r])), receipt);
  return receipt;
}

test('a fee receipt shows a VietQR code, the transfer details with copy buttons, and prints', async ({ page }) => {
  const receipt = await feeReceipt(page, 'QT.CA-261123-0007', 10000);
  await page.goto(`/my/${receipt.code}`);
  await expect(page.locator('.dossier-code')).toHaveText(receipt.code);
  await expect(page.getByRole('img', { name: 'Mã VietQR để chuyển khoản lệ phí' })).toBeVisible();
  await expect(page.locator('.facts')).toContainText('02/12/2026');
  const pay = page.locator('.receipt__pay');
  await expect(pay).toContainText('10.000 ₫');
  await expect(pay).toContainText('DEMO - KHONG CHUYEN TIEN');
  await expect(pay.getByRole('button', { name: 'Sao chép Nội dung chuyển khoản' })).toBeVisible();
  await axe(page);
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.main-nav')).toBeHidden();
  await expect(page.getByRole('button', { name: 'In hoặc lưu biên nhận' })).toBeHidden();
  await expect(page.locator('.dossier-code')).toBeVisible();
});

/** Every visible piece of text on the page that reads exactly `text` (not the screen-reader-only copies). */
async function shownTexts(page, text) {
  return page.evaluate((t) => [...document.querySelectorAll('main *')].filter((e) => {
    const own = [...e.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join('').trim();
    const r = e.getBoundingClientRect();
    return own === t && r.width > 2 && r.height > 2;
  }).length, text);
}

async function english(page) {
  await page.evaluate(() => localStorage.setItem('cuaso.lang', 'en'));
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
}

test('the mother who applies is not asked her name and number again: they are carried forward, and she can change them', async ({ page }) => {
  await fillBirth(page, { stopAt: 'me', mother: 'Trần Thị Mận' });
  await expect(page.locator('#carried-note')).toContainText('điền sẵn từ câu trả lời trước');
  await expect(page.locator('#f-me_ho_ten')).toHaveValue('Trần Thị Mận');
  await expect(page.locator('#f-me_so_dinh_danh')).toHaveValue('045195001234');
  await axe(page);
  // Editable, and what she changes stays.
  await page.locator('#f-me_ho_ten').fill('Trần Thị Mận Hoa');
  await page.reload();
  await expect(page.locator('#f-me_ho_ten')).toHaveValue('Trần Thị Mận Hoa');
  await english(page);
  await expect(page.locator('#f-me_ho_ten')).toHaveValue('Trần Thị Mận Hoa');
  await axe(page);
});

test('errors name what to enter, and the first question is not said twice', async ({ page }) => {
  await page.goto(`${BIRTH}/apply/quan-he`);
  await cont(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Bạn là ai của trẻ?');
  expect(await shownTexts(page, 'Bạn là ai của trẻ?')).toBe(1);
  await expect(page.locator('#f-quan_he-error')).toContainText('Chọn một câu trả lời');
  // To the mother page, her address without the commune.
  await fillBirth(page, { stopAt: 'me' });
  await page.locator('#f-me_noi_cu_tru-province').selectOption('quang-tri');
  await page.locator('#f-me_noi_cu_tru-street').fill('12 Lê Duẩn');
  await cont(page);
  await expect(page.locator('#f-me_noi_cu_tru-commune-error')).toContainText('Nhập xã, phường, đặc khu');
  await expect(page.locator('.error-summary')).toContainText('Nhập xã, phường, đặc khu');
  await expect(page.locator('main')).not.toContainText('Nhập câu trả lời');
  await axe(page);
  await english(page);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.locator('#f-me_noi_cu_tru-commune-error')).toContainText('Enter the commune or ward');
  await expect(page.locator('main')).not.toContainText('Enter an answer');
  await axe(page);
});

test('the VietQR panel reads the amount as 200.000 ₫, keeps each copy button by its value, and says the demo account is not real', async ({ page }) => {
  // The longest agency code seeded, so the code is as long as they come.
  const receipt = await feeReceipt(page, 'QT.CA.XNC-261123-0007', 200000);
  for (const width of [320, 390]) {
    await page.setViewportSize({ width, height: 844 });
    await page.goto(`/my/${receipt.code}`);
    const pay = page.locator('.receipt__pay');
    await expect(pay.locator('.copy-row', { hasText: 'Số tiền' }).locator('.copy-row__value')).toHaveText('200.000 ₫');
    await expect(pay).not.toContainText('200000');
    await expect(pay.getByText('Đây là tài khoản minh họa, không có thật')).toBeVisible();
    // Each copy button sits on its value's line, its label on one line.
    for (const row of await pay.locator('.copy-row').filter({ has: page.getByRole('button') }).all()) {
      const value = await row.locator('.copy-row__value').boundingBox();
      const button = await row.getByRole('button').boundingBox();
      expect(button.y).toBeLessThan(value.y + value.height);
      expect(await lines(row.getByRole('button'))).toBe(1);
    }
    // The dossier code never breaks inside.
    expect(await lines(page.locator('.dossier-code'))).toBe(1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
  }
  await axe(page);
  await english(page);
  await expect(page.locator('.receipt__pay .copy-row', { hasText: 'Amount' }).locator('.copy-row__value')).toHaveText('200.000 ₫');
  await expect(page.locator('.receipt__pay')).toContainText('This is a sample bank account, not a real one');
  await axe(page);
});

