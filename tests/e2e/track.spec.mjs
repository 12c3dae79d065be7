// Following a dossier after it was sent: the officer moves it through the
// officer API (as the province's back office would), and the citizen sees
// each step on a phone.
import { test, expect, newContext } from './clock.mjs';
import AxeBuilder from '@axe-core/playwright';
import { PNG, createDossier } from './birth.mjs';
import { lines } from './layout.mjs';

const OFFICER = { Authorization: 'Bearer e2e-officer-token' };
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
const APPLICANT = 'Nguyễn Thị Hoa';
const CCCD = '045195001234';
const PHONE = '0912345678';

async function axe(page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`)).toEqual([]);
}

/** What the confirmation page leaves on the device. */
async function keepOnDevice(page, receipt) {
  await page.goto('/');
  await page.evaluate((r) => localStorage.setItem('cuaso.my', JSON.stringify([r])), receipt);
}

async function move(request, code, body) {
  const r = await request.post(`/api/v1/officer/dossiers/${code}/transitions`, { headers: OFFICER, data: body });
  expect(r.status(), await r.text()).toBe(200);
}

test('a supplement request: the citizen sees what is missing, uploads it and sends; the timeline updates', async ({ page, request }) => {
  const receipt = await createDossier(request);
  await move(request, receipt.code, { to: 2 });
  await move(request, receipt.code, { to: 4 });
  await move(request, receipt.code, {
    to: 5,
    reason: 'Thiếu giấy tờ chứng minh nơi cư trú của mẹ.',
    documents: [{ name: 'Giấy xác nhận thông tin về cư trú của mẹ', why: 'Địa chỉ khai trong tờ khai chưa khớp với dữ liệu dân cư.' }],
  });
  await keepOnDevice(page, receipt);
  await page.goto(`/track/${receipt.code}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Đăng ký khai sinh');
  await expect(page.locator('.dossier__head .badge')).toHaveText('Yêu cầu bổ sung giấy tờ');
  const section = page.getByRole('region', { name: 'Bổ sung giấy tờ' });
  await expect(section).toContainText('Giấy xác nhận thông tin về cư trú của mẹ');
  await expect(section).toContainText('Địa chỉ khai trong tờ khai chưa khớp');
  await expect(page.locator('.timeline')).toContainText('Thiếu giấy tờ chứng minh nơi cư trú của mẹ.');
  await axe(page);
  // Sending with nothing attached says what to do.
  await section.getByRole('button', { name: 'Gửi bổ sung' }).click();
  await expect(section.getByRole('alert')).toContainText('ít nhất một tệp');
  await page.locator('#supplement-0').setInputFiles({ name: 'xac-nhan-cu-tru.png', mimeType: 'image/png', buffer: PNG });
  await expect(section.locator('.file__status--ok')).toHaveText('Đã tải lên');
  await section.getByRole('button', { name: 'Gửi bổ sung' }).click();
  await expect(page.locator('.dossier__head .badge')).toHaveText('Đang xử lý');
  await expect(page.getByRole('region', { name: 'Bổ sung giấy tờ' })).toHaveCount(0);
  const first = page.locator('.timeline__item').first();
  await expect(first).toContainText('Đang xử lý');
  await expect(first).toContainText('Bạn');
});

test('a payment request shows VietQR; once the officer confirms it, the timeline shows the payment', async ({ page, request }) => {
  const receipt = await createDossier(request);
  await move(request, receipt.code, { to: 2 });
  await move(request, receipt.code, { to: 6, amount: 50000, reason: 'Lệ phí cấp thêm 5 bản sao trích lục khai sinh.' });
  await keepOnDevice(page, receipt);
  await page.goto(`/track/${receipt.code}`);
  await expect(page.locator('.dossier__head .badge')).toHaveText('Yêu cầu thực hiện nghĩa vụ tài chính');
  await expect(page.getByRole('img', { name: 'Mã VietQR để chuyển khoản lệ phí' })).toBeVisible();
  await expect(page.locator('.receipt__pay')).toContainText('50.000 ₫');
  await expect(page.locator('.receipt__pay')).toContainText(receipt.code);
  await axe(page);
  const r = await request.post(`/api/v1/officer/dossiers/${receipt.code}/payment`, { headers: OFFICER, data: { amount: 50000 } });
  expect(r.status(), await r.text()).toBe(200);
  await page.reload();
  await expect(page.locator('.timeline__paid')).toHaveText('Đã thanh toán 50.000 ₫');
  await expect(page.getByRole('img', { name: 'Mã VietQR để chuyển khoản lệ phí' })).toHaveCount(0);
});

test('done: the result downloads, then the citizen rates the service once', async ({ page, request }) => {
  const receipt = await createDossier(request);
  await move(request, receipt.code, { to: 2 });
  await move(request, receipt.code, { to: 4 });
  const up = await request.post(`/api/v1/officer/dossiers/${receipt.code}/result`, {
    headers: OFFICER,
    multipart: { file: { name: 'trich-luc-khai-sinh.pdf', mimeType: 'application/pdf', buffer: PDF } },
  });
  expect(up.status(), await up.text()).toBeLessThan(300);
  await move(request, receipt.code, { to: 9 });
  await keepOnDevice(page, receipt);
  await page.goto(`/track/${receipt.code}`);
  await expect(page.locator('.dossier__head .badge')).toHaveText('Đã xử lý xong');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Tải kết quả về' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('trich-luc-khai-sinh.pdf');
  await move(request, receipt.code, { to: 10 });
  await page.reload();
  await expect(page.locator('.dossier__head .badge')).toHaveText('Đã trả kết quả');
  const rating = page.getByRole('region', { name: 'Đánh giá mức độ hài lòng' });
  await axe(page);
  await rating.getByRole('button', { name: 'Gửi đánh giá' }).click();
  await expect(rating.getByRole('alert')).toHaveText('Chọn từ 1 đến 5 sao');
  await rating.getByLabel('5 sao').check();
  await rating.getByLabel(/Góp ý/).fill('Cán bộ hướng dẫn rõ ràng, trả kết quả đúng hẹn.');
  await rating.getByRole('button', { name: 'Gửi đánh giá' }).click();
  await expect(page.getByText('Bạn đã đánh giá 5 sao. Cảm ơn bạn.')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Đánh giá mức độ hài lòng' })).toHaveCount(0);
});

test('a refused dossier shows the reason prominently', async ({ page, request }) => {
  const receipt = await createDossier(request);
  await move(request, receipt.code, { to: 3, reason: 'Giấy chứng sinh tải lên bị mờ, không đọc được số hiệu. Vui lòng nộp lại hồ sơ mới.' });
  await keepOnDevice(page, receipt);
  await page.goto(`/track/${receipt.code}`);
  const notice = page.locator('.notice--bad');
  await expect(notice).toContainText('Hồ sơ không được tiếp nhận');
  await expect(notice).toContainText('Giấy chứng sinh tải lên bị mờ');
  await expect(page.getByRole('heading', { name: 'Rút hồ sơ' })).toHaveCount(0);
  await axe(page);
});

test('the citizen can withdraw, after confirming', async ({ page, request }) => {
  const receipt = await createDossier(request);
  await keepOnDevice(page, receipt);
  await page.goto(`/track/${receipt.code}`);
  await page.getByRole('button', { name: 'Rút hồ sơ' }).click();
  await expect(page.getByText('Bạn có chắc muốn rút hồ sơ này?')).toBeVisible();
  await page.getByRole('button', { name: 'Không, giữ hồ sơ' }).click();
  await expect(page.locator('.dossier__head .badge')).toHaveText('Mới đăng ký');
  await page.getByRole('button', { name: 'Rút hồ sơ' }).click();
  await page.getByRole('button', { name: 'Có, rút hồ sơ' }).click();
  await expect(page.locator('.dossier__head .badge')).toHaveText('Công dân yêu cầu rút hồ sơ');
});

test('"Hồ sơ của tôi" flags a dossier whose status changed, with a badge on the navigation', async ({ page, request }) => {
  const receipt = await createDossier(request);
  await keepOnDevice(page, receipt);
  await page.goto('/my');
  const card = page.locator('.card', { hasText: receipt.code });
  await expect(card).toContainText('Mới đăng ký');
  await expect(card).not.toContainText('Có cập nhật');
  await move(request, receipt.code, { to: 2 });
  await page.getByRole('button', { name: 'Làm mới' }).click();
  await expect(card).toContainText('Được tiếp nhận');
  await expect(card).toContainText('Có cập nhật');
  await expect(card).toContainText('Cập nhật lúc');
  await expect(page.locator('.nav-badge')).toContainText('1');
  await axe(page);
  await card.getByRole('link').click();
  await expect(page.locator('.dossier__head .badge')).toHaveText('Được tiếp nhận');
  await page.goto('/my');
  await expect(page.locator('.card', { hasText: receipt.code })).not.toContainText('Có cập nhật');
  await expect(page.locator('.nav-badge')).toHaveCount(0);
  // Removing it from the device.
  await page.getByRole('button', { name: `Xóa khỏi thiết bị ${receipt.code}` }).click();
  await expect(page.locator('.card', { hasText: receipt.code })).toHaveCount(0);
});

test('without the secret, a dossier page shows the status and no personal data', async ({ browser, request }) => {
  const receipt = await createDossier(request);
  await move(request, receipt.code, { to: 3, reason: `Người nộp ${APPLICANT} cần nộp lại` });
  const context = await newContext(browser, request);
  const page = await context.newPage();
  await page.goto(`/track/${receipt.code}`);
  await expect(page.locator('.dossier__head .badge')).toHaveText('Không được tiếp nhận');
  await expect(page.getByRole('heading', { name: 'Xem đầy đủ hồ sơ' })).toBeVisible();
  const text = await page.locator('main').innerText();
  for (const secret of [APPLICANT, CCCD, PHONE, 'Lê Minh An', 'cần nộp lại']) expect(text).not.toContain(secret);
  await axe(page);
  // The secret typed in shows everything.
  await page.getByLabel('Mã bí mật').fill(receipt.secret);
  await page.getByRole('button', { name: 'Xem đầy đủ' }).click();
  await expect(page.locator('.notice--bad')).toContainText('cần nộp lại');
  await context.close();
});

test('the lookup form finds a dossier by its code and says how to fix a bad one', async ({ page, request }) => {
  const receipt = await createDossier(request);
  await page.goto('/track');
  await page.getByLabel('Mã hồ sơ').fill('<script>');
  await page.getByRole('button', { name: 'Tra cứu' }).click();
  await expect(page.locator('#track-code-error')).toBeVisible();
  await expect(page.getByLabel('Mã hồ sơ')).toHaveValue('<script>');
  await axe(page);
  await page.getByLabel('Mã hồ sơ').fill(receipt.code.toLowerCase());
  await page.getByRole('button', { name: 'Tra cứu' }).click();
  await expect(page).toHaveURL(`/track/${receipt.code}`);
  await expect(page.locator('.dossier__head .badge')).toHaveText('Mới đăng ký');
  await page.goto('/track/QT.XA-000000-9999');
  await expect(page.getByRole('heading', { name: 'Không tìm thấy hồ sơ' })).toBeVisible();
});

test('with the secret, tracking shows what was sent: the applicant, who sent it, the answers and the files; the code alone shows none of it', async ({ page, browser, request }) => {
  const receipt = await createDossier(request, { applicant: 'Trần Thị Mận' });
  await keepOnDevice(page, receipt);
  await page.goto(`/track/${receipt.code}`);
  const sent = page.locator('section', { has: page.getByRole('heading', { name: 'Thông tin đã gửi' }) });
  await expect(sent.locator('.facts')).toContainText('Người đứng tên hồ sơTrần Thị Mận');
  await expect(sent.locator('.facts')).toContainText('Người nộpNgười đứng tên tự nộp trực tuyến');
  // The answers, as on check answers (labels, choices in words, dates as dd/mm/yyyy, addresses on one line).
  const row = (label) => sent.locator('.summary-row', { has: page.getByText(label, { exact: true }) }).locator('dd');
  await expect(row('Bạn là ai của trẻ?')).toHaveText('Mẹ');
  await expect(row('Họ, chữ đệm và tên của trẻ')).toHaveText('Lê Minh An');
  await expect(row('Ngày sinh').first()).toHaveText('12/03/1995');
  await expect(row('Nơi cư trú của mẹ')).toHaveText('12 Lê Duẩn, Phường Đông Hà, Quảng Trị');
  // The files sent: name and size.
  await expect(row('Ảnh chụp hoặc bản quét Giấy chứng sinh')).toHaveText('giay-chung-sinh.png (1 KB)');
  await expect(sent.getByRole('link', { name: /Thay đổi/ })).toHaveCount(0);
  await axe(page);
  await page.evaluate(() => localStorage.setItem('cuaso.lang', 'en'));
  await page.reload();
  const sentEn = page.locator('section', { has: page.getByRole('heading', { name: 'What was sent' }) });
  await expect(sentEn.locator('.facts')).toContainText('The applicant, online');
  await expect(sentEn.locator('.summary-row', { hasText: 'giay-chung-sinh.png (1 KB)' })).toBeVisible();
  await axe(page);

  // The code alone: status only, nothing of what was sent.
  const context = await newContext(browser, request);
  const other = await context.newPage();
  await other.goto(`/track/${receipt.code}`);
  await expect(other.locator('.dossier__head .badge')).toHaveText('Mới đăng ký');
  await expect(other.getByRole('heading', { name: 'Thông tin đã gửi' })).toHaveCount(0);
  const text = await other.locator('main').innerText();
  for (const secret of ['Trần Thị Mận', CCCD, PHONE, 'Lê Minh An', 'giay-chung-sinh']) expect(text).not.toContain(secret);
  await context.close();
});

test('a dossier code never breaks inside, on the receipt, tracking and my dossiers, at 320 and 390 px', async ({ page, request }) => {
  const receipt = await createDossier(request);
  await keepOnDevice(page, receipt);
  for (const width of [320, 390]) {
    await page.setViewportSize({ width, height: 844 });
    for (const [path, where] of [[`/my/${receipt.code}`, '.dossier-code'], [`/track/${receipt.code}`, '.dossier__code'], ['/my', '.card__title']]) {
      await page.goto(path);
      const code = page.locator(where, { hasText: receipt.code }).first();
      await expect(code).toHaveText(receipt.code);
      expect(await lines(code), `${path} at ${width}px`).toBe(1);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), `${path} at ${width}px`).toBeLessThanOrEqual(width);
    }
  }
});

