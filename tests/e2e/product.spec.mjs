// What a shopper sees after scanning the GS1 Digital Link QR code on an OCOP
// product, and what the resolver answers to machines.
import { test, expect } from './clock.mjs';
import AxeBuilder from '@axe-core/playwright';

const PEPPER = '08930000000019'; // Hạt tiêu Cùa in the seed

async function axe(page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`)).toEqual([]);
}

test('opening a batch Digital Link directly renders the batch journey', async ({ page }) => {
  const scans = [];
  page.on('request', (r) => { if (r.url().endsWith('/api/v1/scans')) scans.push(r.postDataJSON()); });
  await page.goto(`/01/${PEPPER}/10/L2504?src=qr`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Lô hàng L2504');
  await expect(page.locator('.lead')).toContainText('Hạt tiêu Cùa');
  const steps = page.locator('.timeline__item');
  expect(await steps.count()).toBeGreaterThanOrEqual(4);
  await expect(steps.first().locator('.timeline__status')).not.toHaveText('Bước khác');
  await expect(page.locator('.timeline')).toContainText('Đóng gói');
  await expect(page.getByRole('img', { name: /Sơ đồ các địa điểm/ })).toBeVisible();
  await expect(page.getByRole('link', { name: /^Chỉ đường/ }).first()).toHaveAttribute('href', /google\.com\/maps\/dir/);
  await expect(page.getByRole('alert')).toHaveCount(0);
  expect(scans).toEqual([{ gtin: PEPPER, lot: 'L2504' }]);
  await axe(page);
});

test('a recalled batch shows the warning with its reason', async ({ page }) => {
  await page.goto(`/01/${PEPPER}/10/L2510`);
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Lô hàng này đã bị thu hồi');
  await expect(alert).toContainText('Không sử dụng sản phẩm thuộc lô này');
  expect((await alert.innerText()).length).toBeGreaterThan(80);
  await axe(page);
});

/** Runs `check` in Vietnamese, then again in English (switched as a visitor would keep it). */
async function inBoth(page, url, check) {
  for (const lang of ['vi', 'en']) {
    await page.evaluate((l) => localStorage.setItem('cuaso.lang', l), lang).catch(() => {});
    await page.goto(url);
    await check(lang);
    await axe(page);
  }
  await page.evaluate(() => localStorage.removeItem('cuaso.lang'));
}

// Issue 18, item 5: an unknown lot was a dead end ("bad address"); now the
// product, with the lot said unknown and what to do.
test('an unknown lot shows the product, says the lot is not found and what to do', async ({ page }) => {
  const GROUND = '08930000030016';
  await page.goto('/');
  await inBoth(page, `/01/${GROUND}/10/X9999`, async (lang) => {
    const alert = page.getByRole('alert');
    await expect(alert).toContainText(lang === 'vi' ? 'Không tìm thấy lô X9999' : 'No batch X9999 found');
    await expect(alert).toContainText(lang === 'vi' ? 'số lô in trên bao bì' : 'lot number printed on the package');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Khe Sanh Coffee – ' + (lang === 'vi' ? 'cà phê bột 100% Arabica' : '100% Arabica ground coffee'));
    await expect(page.getByRole('region', { name: lang === 'vi' ? 'Các lô hàng' : /batches/i }).getByRole('link', { name: /L2604/ })).toBeVisible();
    await expect(page.getByText(/Địa chỉ trang có tham số|The page address has/)).toHaveCount(0);
  });
  // A serial without a lot is no dead end either: the product.
  await page.goto(`/01/${GROUND}/21/SN404`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Khe Sanh Coffee – cà phê bột 100% Arabica');
});

// Issue 18, item 6: the recall said "contact the producer" with no contact.
test('a recall, the batch and the product give the producer\'s contact as a tel: link', async ({ page }) => {
  await page.goto('/');
  await inBoth(page, `/01/${PEPPER}/10/L2510`, async (lang) => {
    const alert = page.getByRole('alert');
    await expect(alert).toContainText(lang === 'vi'
      ? 'Liên hệ nhà sản xuất: Hợp tác xã Nông nghiệp dịch vụ hồ tiêu Cùa'
      : 'Contact the producer: Cùa Pepper Agricultural Service Cooperative');
    // The seed's sources give no phone for this producer: said so, and the province's hotline instead.
    await expect(alert).toContainText(lang === 'vi' ? 'chưa có số điện thoại' : 'no phone number for this producer');
    await expect(alert.locator('a[href^="tel:"]')).toHaveAttribute('href', 'tel:1022');
    const card = page.getByRole('region', { name: lang === 'vi' ? 'Nhà sản xuất' : 'Producer' });
    await expect(card).toContainText(lang === 'vi' ? 'Vùng Cùa, huyện Cam Lộ' : 'Cùa area, Cam Lộ district');
    await expect(card.locator('a[href^="tel:"]')).toHaveAttribute('href', 'tel:1022');
  });
  await page.goto(`/01/${PEPPER}`);
  await expect(page.getByRole('region', { name: 'Nhà sản xuất' }).locator('a[href^="tel:"]')).toHaveAttribute('href', 'tel:1022');
});

// Issue 18, item 12: "Khởi tạo/Thu hoạch" named both the harvest and the
// packing; each CBV step now has its own words, and the recall is a step.
test('the journey names each step in plain words, and shows the recall as a step', async ({ page }) => {
  await page.goto('/');
  await inBoth(page, `/01/${PEPPER}/10/L2408`, async (lang) => {
    const steps = page.locator('.timeline__item .timeline__status');
    await expect(steps.first()).toHaveText(lang === 'vi' ? 'Ghi nhận lô hàng' : 'Batch recorded');
    const words = await steps.allInnerTexts();
    expect(words).toEqual(lang === 'vi'
      ? ['Ghi nhận lô hàng', 'Lưu kho', 'Làm ra thành phẩm', 'Kiểm định', 'Đóng gói', 'Xuất hàng', 'Nhận hàng', 'Bày bán']
      : ['Batch recorded', 'Storage', 'Finished goods made', 'Inspection', 'Packing', 'Shipping', 'Receiving', 'On sale']);
  });
  await inBoth(page, `/01/${PEPPER}/10/L2510`, async (lang) => {
    const last = page.locator('.timeline__item').last();
    await expect(last.locator('.badge-bad')).toHaveText(lang === 'vi' ? 'Thu hồi lô hàng' : 'Batch recalled');
    await expect(last).toContainText('09/12/2025');
  });
});

test('the product page shows stars, certificate, producer and batches', async ({ page }) => {
  await page.goto(`/01/${PEPPER}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hạt tiêu Cùa');
  await expect(page.getByText('Sản phẩm OCOP 4 sao')).toBeVisible();
  await expect(page.locator('#certificate')).toContainText('Giấy chứng nhận OCOP');
  await expect(page.getByRole('heading', { name: 'Nhà sản xuất' })).toBeVisible();
  const batches = page.getByRole('region', { name: 'Các lô hàng' });
  await expect(batches.getByRole('link', { name: /Lô L2510/ })).toBeVisible();
  await expect(batches).toContainText('Đã thu hồi');
  await axe(page);
  await batches.getByRole('link', { name: /Lô L2504/ }).click();
  await expect(page).toHaveURL(`/01/${PEPPER}/10/L2504`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Lô hàng L2504');
});

test('a wrong check digit shows a helpful page with manual entry, never a blank screen', async ({ page }) => {
  await page.goto('/01/08930000000017/10/L2408');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Mã truy xuất không hợp lệ');
  await expect(page.locator('.error-panel')).toContainText('9');
  await axe(page);
  await page.getByLabel('Mã vạch sản phẩm (GTIN)').fill('8930000000018');
  await page.getByRole('button', { name: 'Xem sản phẩm' }).click();
  await expect(page.locator('#gtin-error')).toContainText('8');
  await expect(page.getByLabel('Mã vạch sản phẩm (GTIN)')).toHaveValue('8930000000018');
  await page.getByLabel('Mã vạch sản phẩm (GTIN)').fill('8930000000019');
  await page.getByRole('button', { name: 'Xem sản phẩm' }).click();
  await expect(page).toHaveURL(`/01/${PEPPER}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hạt tiêu Cùa');
});

test('the resolver answers curl-style requests as GS1 specifies', async ({ request }) => {
  const linkset = await request.get(`/01/${PEPPER}/10/L2504`, { headers: { Accept: 'application/linkset+json' } });
  expect(linkset.status()).toBe(200);
  expect(linkset.headers()['content-type']).toContain('application/linkset+json');
  expect(linkset.headers()['access-control-allow-origin']).toBe('*');
  const body = await linkset.json();
  const set = body.linkset[0];
  expect(set.anchor).toContain(`/01/${PEPPER}/10/L2504`);
  for (const rel of ['pip', 'traceability', 'certificationInfo', 'defaultLink']) {
    expect(set[`https://gs1.org/voc/${rel}`]?.[0]?.href, rel).toBeTruthy();
  }
  const redirect = await request.get(`/01/${PEPPER}/10/L2504?linkType=gs1:traceability`, { maxRedirects: 0 });
  expect(redirect.status()).toBe(307);
  expect(redirect.headers()['location']).toContain(`/api/v1/products/${PEPPER}/batches/L2504/epcis`);
  const epcis = await request.get(redirect.headers()['location']);
  expect(epcis.headers()['content-type']).toContain('application/ld+json');
  expect((await epcis.json()).type).toBe('EPCISDocument');
  const head = await request.head(`/01/${PEPPER}`, { headers: { Accept: 'application/linkset+json' } });
  expect(head.headers()['link']).toContain('https://gs1.org/voc/pip');
  const bad = await request.get('/01/08930000000017', { headers: { Accept: 'application/json' } });
  expect(bad.status()).toBe(400);
  expect((await bad.json()).field).toBe('check_digit');
  const unknown = await request.get('/01/08930000009999', { headers: { Accept: 'application/json' } });
  expect(unknown.status()).toBe(404);
  const wk = await request.get('/.well-known/gs1resolver');
  expect(wk.status()).toBe(200);
});

test('the scan page opens what a code holds, and warns before leaving Cửa Số', async ({ page }) => {
  await page.goto('/scan');
  const box = page.getByLabel('Mã hoặc địa chỉ trong mã QR');
  await page.getByRole('button', { name: 'Mở', exact: true }).click();
  await expect(page.locator('#scan-error')).toBeVisible();
  await box.fill('https://evil.example/dang-nhap');
  await page.getByRole('button', { name: 'Mở', exact: true }).click();
  const warning = page.getByRole('alert').filter({ hasText: 'Đây không phải mã của Cửa Số' });
  await expect(warning).toContainText('https://evil.example/dang-nhap');
  await expect(warning.getByRole('link', { name: 'Vẫn mở liên kết' })).toHaveAttribute('rel', /noopener/);
  await expect(page).toHaveURL('/scan');
  await axe(page);
  await box.fill('https://cuaso.example/01/08930000000019/10/L2510');
  await page.getByRole('button', { name: 'Mở', exact: true }).click();
  await expect(page).toHaveURL(`/01/${PEPPER}/10/L2510`);
  await expect(page.getByRole('alert')).toContainText('Lô hàng này đã bị thu hồi');
  await page.goto('/scan');
  await page.getByLabel('Mã hoặc địa chỉ trong mã QR').fill('8930000000019');
  await page.getByRole('button', { name: 'Mở', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hạt tiêu Cùa');
});
