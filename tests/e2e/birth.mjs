// Filling the birth-registration form (procedure 1.001193), shared by the
// citizen's and the community helper's application tests.
import { expect } from '@playwright/test';
import { daysBefore, iso, serverNow } from './clock.mjs';

// A 1×1 PNG: a real image the server's type check accepts.
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/** The child's birth date: ten days before the server's today. */
export async function childBorn(request) {
  return daysBefore(await serverNow(request), 10);
}

/**
 * A birth registration sent through the API, as the apply pages send it
 * (mother `applicant` with `cccd`), with a birth certificate attached.
 * Answers 201 with the receipt.
 */
export async function createDossier(request, { applicant = 'Nguyễn Thị Hoa', cccd = '045195001234', phone = '0912345678' } = {}) {
  const up = await request.post('/api/v1/uploads', {
    multipart: { file: { name: 'giay-chung-sinh.png', mimeType: 'image/png', buffer: PNG } },
  });
  expect(up.status()).toBe(201);
  const answers = {
    quan_he: 'me', ho_ten: applicant, ngay_sinh: '1995-03-12', so_dinh_danh: cccd, dien_thoai: phone,
    tre_ho_ten: 'Lê Minh An', tre_ngay_sinh: iso(await childBorn(request)),
    tre_noi_sinh: 'Bệnh viện Đa khoa tỉnh Quảng Trị', tre_gioi_tinh: 'nam', tre_dan_toc: 'Kinh', tre_que_quan: 'Quảng Trị',
    me_ho_ten: applicant, me_so_dinh_danh: cccd, 'me_noi_cu_tru.province': 'quang-tri',
    'me_noi_cu_tru.commune': 'Phường Đông Hà', 'me_noi_cu_tru.street': '12 Lê Duẩn',
    cha_me_ket_hon: 'no', co_giay_chung_sinh: 'yes', giay_chung_sinh: (await up.json()).id,
  };
  const r = await request.post('/api/v1/dossiers', {
    headers: { 'Idempotency-Key': `e2e-${Date.now()}-${Math.random().toString(36).slice(2)}` },
    data: { procedure: '1.001193', answers },
  });
  expect(r.status()).toBe(201);
  return r.json();
}

export async function cont(page) {
  await page.getByRole('button', { name: 'Tiếp tục' }).click();
}

/** Answers the birth-registration questions up to the check-answers page. */
export async function fillBirth(page, { stopAt, mother = 'Nguyễn Thị Hoa' } = {}) {
  await page.goto('/services/1.001193');
  await page.getByRole('link', { name: 'Nộp hồ sơ trực tuyến' }).first().click();
  await expect(page).toHaveURL(/\/apply\/quan-he$/);
  await expect(page.getByText('Bước 1/9')).toBeVisible();
  await page.getByLabel('Mẹ', { exact: true }).check();
  await cont(page);

  await expect(page).toHaveURL(/\/apply\/nguoi-khai$/);
  await page.locator('#f-ho_ten').fill(mother);
  await page.locator('#f-ngay_sinh-d').fill('12');
  await page.locator('#f-ngay_sinh-m').fill('3');
  await page.locator('#f-ngay_sinh-y').fill('1995');
  await page.locator('#f-so_dinh_danh').fill('045195001234');
  if (stopAt === 'nguoi-khai') return;
  await cont(page);

  await expect(page).toHaveURL(/\/apply\/lien-he$/);
  await expect(page.locator('#f-dien_thoai')).toHaveAttribute('type', 'tel');
  await expect(page.locator('#f-dien_thoai')).toHaveAttribute('autocomplete', 'tel');
  await page.locator('#f-dien_thoai').fill('0912 345 678');
  await cont(page);

  await page.locator('#f-tre_ho_ten').fill('Lê Minh An');
  await cont(page);

  const born = await childBorn(page.request);
  await page.locator('#f-tre_ngay_sinh-d').fill(String(born.d));
  await page.locator('#f-tre_ngay_sinh-m').fill(String(born.m));
  await page.locator('#f-tre_ngay_sinh-y').fill(String(born.y));
  await page.locator('#f-tre_noi_sinh').fill('Bệnh viện Đa khoa tỉnh Quảng Trị');
  await cont(page);

  await page.locator('input[name=tre_gioi_tinh][value=nam]').check();
  await page.locator('#f-tre_dan_toc').fill('Kinh');
  await page.locator('#f-tre_que_quan').fill('Quảng Trị');
  await cont(page);

  await expect(page).toHaveURL(/\/apply\/me$/);
  if (stopAt === 'me') return;
  await page.locator('#f-me_ho_ten').fill(mother);
  await page.locator('#f-me_so_dinh_danh').fill('045195001234');
  await page.locator('#f-me_noi_cu_tru-province').selectOption('quang-tri');
  await page.locator('#f-me_noi_cu_tru-commune').fill('Phường Đông Hà');
  await page.locator('#f-me_noi_cu_tru-street').fill('12 Lê Duẩn');
  await cont(page);

  await page.locator('input[name=cha_me_ket_hon][value=no]').check();
  await cont(page);

  await expect(page).toHaveURL(/\/apply\/giay-to$/);
  await page.locator('input[name=co_giay_chung_sinh][value=yes]').check();
  // The limits are shown before a file is picked.
  await expect(page.getByText('Nhận tệp PDF, JPG, PNG, tối đa 5 MB mỗi tệp').first()).toBeVisible();
  if (stopAt === 'giay-to') return;
  await page.locator('#f-giay_chung_sinh').setInputFiles({ name: 'giay-chung-sinh.png', mimeType: 'image/png', buffer: PNG });
  await expect(page.locator('.file__status--ok')).toHaveText('Đã tải lên');
  await cont(page);
  await expect(page).toHaveURL(/\/apply\/check$/);
}

