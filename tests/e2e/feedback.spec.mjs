// Citizens' feedback on a phone: a report with a photo while the browser
// refuses the location (commune and address instead), a draft that survives
// a reload, one report for a double tap, the confirmation with code and
// secret, following it while an officer assigns and answers through the
// API, the answer in full with its date, the rating, and the public list
// after publishing, with nothing that identifies the reporter. A fresh
// browser without the secret sees the status only.
// The e2e world's clock starts at 2026-11-23 09:00 in Vietnam (clock.mjs).
import { test, expect, newContext } from './clock.mjs';
import AxeBuilder from '@axe-core/playwright';

const OFFICER = { Authorization: 'Bearer e2e-officer-token' };
const CODE_SHAPE = /^PA-\d{6}-[0-9A-HJKMNP-TV-Z]{5}$/;

// A 1×1 PNG: a real image the server's type check accepts.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

const TITLE = 'Đèn đường hỏng trên đường Lê Lợi';
const DESCRIPTION = 'Ba cột đèn gần cầu không sáng từ tuần trước.\nBuổi tối rất tối, xe máy dễ va vào nhau.';
const NAME = 'Trần Văn Bình';
const PHONE = '0912 345 678';
const AGENCY = 'Công ty Điện lực Quảng Trị';
const ANSWER = 'Chúng tôi đã thay bóng đèn cho ba cột đèn vào ngày 23/11.\nCảm ơn bạn đã phản ánh.';

async function axe(page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`)).toEqual([]);
}

/** Keys of the photo bytes kept in IndexedDB (`cuaso` / `files`). */
async function storedFiles(page) {
  return page.evaluate(() => new Promise((resolve) => {
    const open = indexedDB.open('cuaso', 1);
    open.onupgradeneeded = () => open.result.createObjectStore('files');
    open.onsuccess = () => {
      const req = open.result.transaction('files').objectStore('files').getAllKeys();
      req.onsuccess = () => { resolve(req.result.length); open.result.close(); };
      req.onerror = () => resolve(-1);
    };
    open.onerror = () => resolve(-1);
  }));
}

async function officer(request, code, action, data) {
  const r = await request.post(`/api/v1/officer/feedback/${code}/${action}`, { headers: OFFICER, data });
  expect(r.status(), `${action}: ${await r.text()}`).toBe(200);
  return r.json();
}

test('a report with a photo, location refused, follows it to an answer, rates it; published without the reporter', async ({ page, browser, request }) => {
  test.setTimeout(90_000);
  // Page errors and CSP refusals fail the test.
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error' && /Content Security Policy/.test(m.text())) problems.push(m.text()); });

  await page.goto('/feedback');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Phản ánh, kiến nghị');
  await expect(page.getByRole('heading', { name: 'Phản ánh của tôi' })).toBeVisible();
  await expect(page.getByText('Chưa có phản ánh nào được gửi từ thiết bị này.')).toBeVisible();
  await axe(page);

  await page.getByRole('link', { name: 'Gửi phản ánh mới' }).click();
  await expect(page).toHaveURL('/feedback/new');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Gửi phản ánh, kiến nghị');
  await expect(page.getByText('Bạn có thể gửi ẩn danh')).toBeVisible();
  await axe(page);

  // Sent empty: every problem at its field, and a summary that links to them.
  await page.getByRole('button', { name: 'Gửi phản ánh' }).click();
  const summary = page.locator('.error-summary');
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('link')).toHaveCount(5); // category, title, description, commune, address
  await expect(summary.getByRole('link').first()).toHaveText('Chọn loại phản ánh');
  await expect(page.locator('#fb-title')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#fb-commune')).toHaveAttribute('aria-invalid', 'true');
  // Each problem names what to enter (issue 18, item 10), never a bare "Nhập câu trả lời".
  await expect(summary.getByRole('link')).toHaveText(['Chọn loại phản ánh', 'Nhập tiêu đề', 'Nhập nội dung phản ánh',
    'Nhập xã, phường nơi xảy ra', 'Nhập địa chỉ hoặc mô tả nơi xảy ra']);
  await expect(page.locator('main')).not.toContainText('Nhập câu trả lời');
  await axe(page);

  await page.getByLabel('Giao thông, chiếu sáng').check();
  await page.locator('#fb-title').fill(TITLE);
  await page.locator('#fb-description').fill(DESCRIPTION);
  // The title's problem goes as soon as it is fixed.
  await expect(page.locator('#fb-title')).toHaveAttribute('aria-invalid', 'false');

  // The browser refuses the location: a clear message, commune and address instead.
  await page.getByRole('button', { name: 'Dùng vị trí hiện tại' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Bạn chưa cho phép dùng vị trí' })).toBeVisible();
  await expect(page.getByLabel('Xã, phường, đặc khu')).toBeVisible();

  // A photo: uploaded, with a decorative preview beside its name.
  await page.locator('#fb-photos').setInputFiles({ name: 'den-duong.png', mimeType: 'image/png', buffer: PNG });
  const photo = page.locator('.fb-photo');
  await expect(photo).toHaveCount(1);
  await expect(photo.locator('.file__status--ok')).toHaveText('Đã tải lên');
  await expect(photo.locator('img')).toHaveAttribute('alt', '');
  await expect(photo).toContainText('Ảnh 1: den-duong.png');
  await expect(photo.getByRole('button', { name: 'Xóa ảnh 1' })).toBeVisible();
  await page.locator('#fb-commune').fill('Phường Đông Hà');
  await page.locator('#fb-name').fill(NAME);

  // A reload half-way: everything typed and the photo are still there.
  await page.reload();
  await expect(page.locator('#fb-title')).toHaveValue(TITLE);
  await expect(page.locator('#fb-description')).toHaveValue(DESCRIPTION);
  await expect(page.getByLabel('Giao thông, chiếu sáng')).toBeChecked();
  await expect(page.locator('#fb-commune')).toHaveValue('Phường Đông Hà');
  await expect(page.locator('#fb-name')).toHaveValue(NAME);
  await expect(photo.locator('.file__status--ok')).toHaveText('Đã tải lên');
  await expect(photo.locator('img')).toHaveAttribute('src', /^blob:/);
  expect(await storedFiles(page)).toBe(1);

  await page.locator('#fb-address').fill('Đường Lê Lợi, gần cầu Đông Hà');
  await page.locator('#fb-phone').fill(PHONE);
  await axe(page);

  // A double tap sends one report.
  const posts = [];
  page.on('response', async (r) => {
    if (r.url().endsWith('/api/v1/feedback') && r.request().method() === 'POST') posts.push(r.status());
  });
  await page.getByRole('button', { name: 'Gửi phản ánh' }).dblclick();
  await expect(page).toHaveURL(/\/feedback\/PA-\d{6}-[0-9A-Z]{5}\/sent$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Đã gửi phản ánh');
  const code = (await page.locator('.dossier-code').textContent()).trim();
  expect(code).toMatch(CODE_SHAPE);
  expect(posts).toEqual([201]);
  const secret = (await page.locator('.fb-secret__value').textContent()).trim();
  expect(secret).toMatch(/^[2-9A-HJKMNP-Z]{8}$/);
  await expect(page.getByText('Đừng đưa mã bí mật cho người khác')).toBeVisible();
  await axe(page);
  const all = await (await request.get('/api/v1/officer/feedback', { headers: OFFICER })).json();
  expect((Array.isArray(all) ? all : all.items).filter((v) => v.content?.title === TITLE)).toHaveLength(1);

  // The draft and its photo bytes are gone; the report is kept with its secret.
  expect(await page.evaluate(() => localStorage.getItem('cuaso.feedback.draft'))).toBeNull();
  const mine = JSON.parse(await page.evaluate(() => localStorage.getItem('cuaso.feedback.my')));
  expect(mine.map((m) => [m.code, m.secret])).toEqual([[code, secret]]);
  await expect.poll(() => storedFiles(page)).toBe(0);

  // Following it: received, the steps to come, the content and the private part.
  await page.getByRole('link', { name: 'Theo dõi phản ánh' }).click();
  await expect(page).toHaveURL(`/feedback/${code}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(TITLE);
  await expect(page.locator('.fb-report .badge').first()).toHaveText('Đã tiếp nhận');
  const steps = page.locator('.fb-timeline > li');
  await expect(steps).toHaveCount(3);
  await expect(steps.nth(0)).toContainText('Đã tiếp nhận');
  await expect(steps.nth(1)).toContainText('Đã chuyển cơ quan xử lý');
  await expect(steps.nth(1)).toContainText('Chưa đến bước này');
  await expect(page.getByText('Buổi tối rất tối')).toBeVisible();
  await expect(page.getByText(`${NAME} · 0912345678`)).toBeVisible(); // the phone as the server keeps it
  // The photo is not public yet: fetched with the secret, shown from a blob.
  const img = page.locator('.fb-gallery img');
  await expect(img).toHaveAttribute('src', /^blob:/);
  await expect(img).toHaveAttribute('alt', `Ảnh 1/1 của phản ánh “${TITLE}”`);
  expect(await img.evaluate((i) => i.complete && i.naturalWidth)).toBe(1);
  await axe(page);

  // A fresh browser with the code alone: the status, no content, no contact.
  const stranger = await newContext(browser, request);
  const other = await stranger.newPage();
  await other.goto(`/feedback/${code}`);
  await expect(other.locator('.fb-report .badge').first()).toHaveText('Đã tiếp nhận');
  await expect(other.getByRole('heading', { level: 1 })).toHaveText(`Phản ánh ${code}`);
  await expect(other.getByRole('heading', { name: 'Xem đầy đủ phản ánh' })).toBeVisible();
  await expect(other.locator('main')).not.toContainText(TITLE);
  await expect(other.locator('main')).not.toContainText('Buổi tối');
  await expect(other.locator('main')).not.toContainText(NAME);
  await expect(other.locator('main')).not.toContainText('0912');
  await expect(other.locator('.fb-gallery')).toHaveCount(0);
  await axe(other);

  // An officer assigns and answers it through the API.
  await officer(request, code, 'assign', { agency: AGENCY });
  await page.reload();
  await expect(page.locator('.fb-report .badge').first()).toHaveText('Đã chuyển cơ quan xử lý');
  await expect(steps.nth(1)).toContainText(`Cơ quan xử lý: ${AGENCY}`);
  const answered = await officer(request, code, 'answer', { text: ANSWER });
  const at = answered.content.answer.at; // RFC 3339, Việt Nam time
  const shown = `${at.slice(8, 10)}/${at.slice(5, 7)}/${at.slice(0, 4)} ${at.slice(11, 16)}`;
  expect(shown).toMatch(/^23\/11\/2026 /);

  // The answer in full, with its date; the rating form.
  await page.reload();
  await expect(page.locator('.fb-report .badge').first()).toHaveText('Đã trả lời');
  const answer = page.getByRole('region', { name: 'Trả lời của cơ quan xử lý' });
  await expect(answer).toContainText(`${AGENCY} trả lời lúc ${shown}`);
  expect(await answer.locator('.fb-text').innerText()).toBe(ANSWER);
  await expect(steps).toHaveCount(3);
  await expect(steps.nth(2)).toContainText('Đã trả lời');
  await expect(steps.nth(2)).toContainText(shown);
  await expect(page.getByRole('heading', { name: 'Đánh giá câu trả lời' })).toBeVisible();
  await axe(page);

  // The stranger, without the secret, still sees no answer text.
  await other.reload();
  await expect(other.locator('.fb-report .badge').first()).toHaveText('Đã trả lời');
  await expect(other.getByText('Cơ quan đã trả lời. Nhập mã bí mật bên dưới để đọc câu trả lời.')).toBeVisible();
  await expect(other.locator('main')).not.toContainText('thay bóng đèn');

  // The citizen rates it, once.
  await page.getByRole('button', { name: 'Gửi đánh giá' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Chọn từ 1 đến 5 sao' })).toBeVisible();
  // The stars are radio buttons: their labels are the targets.
  await page.locator('label[for="fb-star-4"]').click();
  await expect(page.getByLabel('4 sao')).toBeChecked();
  await expect(page.getByText('Bạn chọn 4/5 sao')).toBeVisible();
  await page.getByLabel(/Góp ý/).fill('Sửa nhanh, cảm ơn.');
  await page.getByRole('button', { name: 'Gửi đánh giá' }).click();
  await expect(page.getByRole('heading', { name: 'Bạn đã đánh giá 4/5 sao. Cảm ơn bạn.' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Gửi đánh giá' })).toHaveCount(0);
  await page.reload();
  await expect(page.getByText('Sửa nhanh, cảm ơn.')).toBeVisible();
  await axe(page);

  // Published: on the public list with the answer, without the reporter.
  await officer(request, code, 'publish', { published: true });
  await page.goto('/feedback');
  const mineCard = page.locator('.fb-section').filter({ hasText: 'Phản ánh của tôi' }).locator('.card');
  await expect(mineCard).toContainText(code);
  await expect(mineCard).toContainText('Đã trả lời');
  const card = page.locator('.fb-public .fb-card').filter({ hasText: TITLE });
  await expect(card).toBeVisible();
  await expect(card).toContainText('Giao thông, chiếu sáng');
  await expect(card).toContainText('Phường Đông Hà');
  await expect(card.locator('.fb-answer')).toContainText(`Trả lời của ${AGENCY}, ngày 23/11/2026`);
  await expect(card.locator('.fb-answer')).toContainText('thay bóng đèn');
  const thumb = card.locator('img');
  await expect(thumb).toHaveAttribute('src', `/api/v1/feedback/${code}/photos/0`);
  await expect.poll(() => thumb.evaluate((i) => i.complete && i.naturalWidth)).toBe(1);
  for (const hidden of [NAME, '0912', '345 678', 'gần cầu Đông Hà']) {
    await expect(page.locator('.fb-public')).not.toContainText(hidden);
  }
  await axe(page);

  // The stranger now sees what was published, still not the reporter.
  await other.reload();
  await expect(other.getByRole('heading', { level: 1 })).toHaveText(TITLE);
  expect(await other.locator('.fb-answer .fb-text').innerText()).toBe(ANSWER);
  await expect(other.locator('.fb-gallery img')).toHaveAttribute('src', `/api/v1/feedback/${code}/photos/0`);
  for (const hidden of [NAME, '0912', 'gần cầu Đông Hà', '4/5']) {
    await expect(other.locator('main')).not.toContainText(hidden);
  }
  await axe(other);
  await stranger.close();

  expect(problems).toEqual([]);
});

test('a lookup by code and secret on another device opens the whole report; a wrong secret is refused', async ({ page, request }) => {
  const up = await request.post('/api/v1/uploads', { multipart: { file: { name: 'a.png', mimeType: 'image/png', buffer: PNG } } });
  expect(up.status()).toBe(201);
  const r = await request.post('/api/v1/feedback', {
    headers: { 'Idempotency-Key': `e2e-lookup-${Date.now()}` },
    data: {
      category: 'environment', title: 'Rác đổ bên bờ sông', description: 'Rác thải sinh hoạt đổ thành đống.',
      photos: [(await up.json()).id],
      location: { commune: 'Xã Gio Linh', address: 'Bờ sông, thôn 3' }, contact: {},
    },
  });
  expect(r.status()).toBe(201);
  const { code, secret } = await r.json();

  await page.goto('/feedback');
  await page.getByLabel('Mã phản ánh').fill(code.toLowerCase());
  await page.getByLabel(/^Mã bí mật/).fill('ZZZZZZZZ');
  await page.getByRole('button', { name: 'Tra cứu' }).click();
  await expect(page).toHaveURL(`/feedback/${code}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Không tìm thấy phản ánh');
  await expect(page.getByText('hoặc mã bí mật không đúng')).toBeVisible();
  await page.getByRole('button', { name: 'Chỉ xem trạng thái, không cần mã bí mật' }).click();
  await expect(page.locator('.fb-report .badge').first()).toHaveText('Đã tiếp nhận');
  await expect(page.locator('main')).not.toContainText('Rác thải sinh hoạt');

  await page.getByLabel('Mã bí mật').fill(secret.toLowerCase());
  await page.getByRole('button', { name: 'Xem đầy đủ' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Rác đổ bên bờ sông');
  await expect(page.getByText('Ẩn danh')).toBeVisible();
  await expect(page.getByText('Bờ sông, thôn 3, Xã Gio Linh')).toBeVisible();
  await expect(page.locator('.fb-gallery img')).toHaveAttribute('src', /^blob:/);
  // Looked up, not sent from here: not in "Phản ánh của tôi", secret not stored.
  expect(await page.evaluate(() => localStorage.getItem('cuaso.feedback.my'))).toBeNull();
  expect(JSON.stringify(await page.evaluate(() => ({ ...localStorage })))).not.toContain(secret);
  await axe(page);
});

test('the server\'s problems show at their fields; a send lost on the way is sent again as the same report', async ({ page, request }) => {
  const title = `Cây đổ chắn đường ${Date.now()}`;
  await page.goto('/feedback/new');
  await page.getByLabel('Khác').check();
  await page.locator('#fb-title').fill(title);
  await page.locator('#fb-description').fill('Cây lớn đổ sau mưa bão, chắn nửa đường.');
  await page.locator('#fb-commune').fill('Xã Cam Lộ');
  await page.locator('#fb-address').fill('Thôn 5');

  // Every POST of the report: its idempotency key, and what the page got.
  const keys = [];
  let mode = 'refuse';
  await page.route('**/api/v1/feedback', async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    keys.push(route.request().headers()['idempotency-key']);
    if (mode === 'refuse') {
      return route.fulfill({
        status: 422,
        contentType: 'application/json',
        body: JSON.stringify({
          code: 'validation', message: 'invalid',
          fields: [
            { field: 'location.address', code: 'address_unknown', message: 'Không tìm thấy địa chỉ này trong xã' },
            { field: 'photos.0', code: 'upload_missing', message: 'upload missing' },
          ],
        }),
      });
    }
    if (mode === 'lose') {
      // The server gets it and makes the report; the answer never arrives.
      await route.fetch();
      return route.abort('internetdisconnected');
    }
    return route.continue();
  });

  await page.getByRole('button', { name: 'Gửi phản ánh' }).click();
  const summary = page.locator('.error-summary');
  await expect(summary).toBeFocused();
  await expect(summary).toContainText('Không tìm thấy địa chỉ này trong xã');
  await expect(page.locator('#fb-address')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#fb-address-error')).toContainText('Không tìm thấy địa chỉ này trong xã');
  await expect(summary.getByRole('link')).toHaveCount(2);
  // Nothing typed is lost.
  await expect(page.locator('#fb-title')).toHaveValue(title);
  await expect(page.locator('#fb-address')).toHaveValue('Thôn 5');
  await axe(page);
  // Changing the field takes its complaint away.
  await page.locator('#fb-address').fill('Thôn 5, cạnh trường tiểu học');
  await expect(page.locator('#fb-address')).toHaveAttribute('aria-invalid', 'false');

  mode = 'lose';
  await page.getByRole('button', { name: 'Gửi phản ánh' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Phản ánh chưa được gửi. Những gì bạn nhập vẫn an toàn.' })).toBeVisible();
  expect(await page.evaluate(() => localStorage.getItem('cuaso.feedback.draft'))).toContain(title);

  mode = 'pass';
  const answers = [];
  page.on('response', (r) => {
    if (r.url().endsWith('/api/v1/feedback') && r.request().method() === 'POST') answers.push(r.status());
  });
  await page.getByRole('button', { name: 'Gửi lại ngay' }).click();
  await expect(page).toHaveURL(/\/feedback\/PA-\d{6}-[0-9A-Z]{5}\/sent$/);
  // The same key every time: the server answers the retry with the report it already made.
  expect(keys).toHaveLength(3);
  expect(new Set(keys).size).toBe(1);
  expect(answers).toEqual([200]);
  const all = await (await request.get('/api/v1/officer/feedback', { headers: OFFICER })).json();
  const made = all.filter((v) => v.content?.title === title);
  expect(made).toHaveLength(1);
  await expect(page.locator('.dossier-code')).toHaveText(made[0].code);
});
