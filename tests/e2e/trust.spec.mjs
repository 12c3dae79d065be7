// What a new user looks for around the journeys: where to report a problem,
// where a community helper signs in, who runs the service, and why personal
// data is asked (issue 18, items 2 and 9; the two home headings of item 12).
import { test, expect } from './clock.mjs';
import AxeBuilder from '@axe-core/playwright';
import { fillBirth } from './birth.mjs';

// The reference server's operator unless configured (domain/src/api.rs).
const DEMO_VI = 'Cửa Số – bản trình diễn, không phải cơ quan nhà nước';
const DEMO_EN = 'Cửa Số – a demonstration, not a government agency';

async function axe(page) {
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`)).toEqual([]);
}

for (const [lang, t] of Object.entries({
  vi: { feedback: 'Phản ánh, kiến nghị', helper: 'Dành cho Tổ công nghệ số cộng đồng', privacy: 'Thông báo về dữ liệu cá nhân',
    h1: 'Bạn cần làm gì hôm nay?', h2: 'Hoặc chọn một việc', operator: `Đơn vị vận hành: ${DEMO_VI}`, hotline: 'Đường dây nóng hỗ trợ:',
    fbHeading: /Phản ánh/, signIn: 'Đăng nhập', loginHeading: 'Đăng nhập hỗ trợ viên' },
  en: { feedback: 'Report a problem', helper: 'For community digital helpers', privacy: 'Personal data notice',
    h1: 'What do you need to do today?', h2: 'Or choose a task', operator: `Operated by: ${DEMO_EN}`, hotline: 'Support hotline:',
    fbHeading: /report|problem|feedback/i, signIn: 'Sign in', loginHeading: 'Helper sign-in' },
})) {
  test(`home and footer lead to feedback and to the helpers' sign-in (${lang})`, async ({ page }) => {
    await page.addInitScript((l) => localStorage.setItem('cuaso.lang', l), lang);
    await page.goto('/');
    // Two headings that say different things.
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(t.h1);
    await expect(page.getByRole('heading', { level: 2 }).first()).toHaveText(t.h2);

    // A feedback card among the journeys, visible without hunting.
    const card = page.locator('.journey-grid').getByRole('link', { name: new RegExp(t.feedback) });
    await expect(card).toBeVisible();
    const footer = page.locator('footer.site-footer');
    await expect(footer.getByRole('link', { name: t.feedback, exact: true })).toHaveAttribute('href', '/feedback');
    await expect(footer.getByRole('link', { name: t.helper, exact: true })).toHaveAttribute('href', '/helper');
    // Who runs it and how to reach them: a number a phone can call.
    await expect(footer).toContainText(t.operator);
    await expect(footer).toContainText(t.hotline);
    await expect(footer.getByRole('link', { name: '1022', exact: true })).toHaveAttribute('href', 'tel:1022');
    await axe(page);

    await card.click();
    await expect(page).toHaveURL(/\/feedback$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(t.fbHeading);

    await page.locator('footer.site-footer').getByRole('link', { name: t.helper, exact: true }).click();
    // Signed out, the helper's page asks to sign in, on the helpers' sign-in page.
    await expect(page).toHaveURL(/\/helper$/);
    await page.locator('main').getByRole('link', { name: t.signIn, exact: true }).click();
    await expect(page).toHaveURL(/\/producer\/login\?next=%2Fhelper/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(t.loginHeading);
  });

  test(`the personal-data notice names who holds the data, why, for how long and whom to ask (${lang})`, async ({ page }) => {
    await page.addInitScript((l) => localStorage.setItem('cuaso.lang', l), lang);
    await page.goto('/');
    // The lazy pages' styles come with the first lazy page, under their hashed name (not a 404).
    const css = page.waitForResponse((r) => /\/pages-[0-9a-f]{16}\.css$/.test(new URL(r.url()).pathname));
    await page.locator('footer.site-footer').getByRole('link', { name: t.privacy, exact: true }).click();
    expect((await css).status()).toBe(200);
    await expect(page).toHaveURL(/\/privacy$/);
    const notice = page.locator('article.prose');
    await expect(notice.getByRole('heading', { level: 1 })).toBeVisible();
    await expect(notice.locator('.lead')).toContainText(lang === 'vi' ? DEMO_VI : DEMO_EN);
    await expect(notice.getByRole('heading', { level: 2 })).toHaveCount(5);
    await expect(notice.getByRole('link', { name: '1022' })).toHaveAttribute('href', 'tel:1022');
    await axe(page);
  });
}

test('where personal data is asked, the form says why and who holds it; the receipt names who issued it', async ({ page }) => {
  // Feedback: beside the optional contact details.
  await page.goto('/feedback/new');
  const note = page.locator('.fb-contact .privacy-note');
  await expect(note).toContainText('Vì sao hỏi');
  await expect(note).toContainText(DEMO_VI);
  await expect(note.getByRole('link', { name: 'Đọc thông báo về dữ liệu cá nhân' })).toHaveAttribute('href', '/privacy');

  // An application: on check answers, before it is sent.
  await fillBirth(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Kiểm tra lại thông tin trước khi gửi');
  await expect(page.locator('.privacy-note')).toContainText(`Vì sao hỏi: cơ quan giải quyết cần các thông tin này để xử lý hồ sơ của bạn. ${DEMO_VI}`);
  await axe(page);
  await page.getByRole('button', { name: 'Đồng ý và gửi hồ sơ' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Đã gửi hồ sơ');
  await expect(page.locator('.receipt-issuer')).toHaveText(`Biên nhận điện tử do ${DEMO_VI} cấp qua Cửa Số`);
});
