// Deep links (QR codes) carry what their page shows first: the server inlines
// the API answer into the shell and src/api.rs takes it, once, instead of
// asking again. Proven here by failing the API: the page still shows.
import { test, expect } from './clock.mjs';

const PEPPER = '08930000000019'; // Hạt tiêu Cùa in the seed

// Without the service worker, whose own requests the routes below would not see.
test.use({ serviceWorkers: 'block' });

test('a batch link renders from the inlined answer, and only for that batch', async ({ page }) => {
  await page.route('**/api/v1/products/**', (route) => route.abort('failed'));
  await page.goto(`/01/${PEPPER}/10/L2504`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Lô hàng L2504');
  await expect(page.locator('.lead')).toContainText('Hạt tiêu Cùa');
  // Another page of the app is not served from it: it asks, and fails here.
  await page.getByRole('link', { name: 'Hạt tiêu Cùa' }).first().click();
  await expect(page).toHaveURL(`/01/${PEPPER}`);
  await expect(page.locator('.error-panel')).toBeVisible();
});

test('a site link renders from the inlined guide in the visitor\'s language', async ({ page }) => {
  await page.route('**/api/v1/sites/**', (route) => route.abort('failed'));
  await page.goto('/s/vinh-moc');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Địa đạo Vịnh Mốc');
  await expect(page.locator('article.site .lead')).not.toBeEmpty();
});

test('the plain shell carries no data and no chunk preloads', async ({ request }) => {
  const home = await (await request.get('/')).text();
  expect(home).not.toContain('id="cuaso-data"');
  expect(home).not.toContain('split_');
  const site = await (await request.get('/s/vinh-moc', { headers: { Accept: 'text/html' } })).text();
  expect(site).toContain('id="cuaso-data" data-kind="site"');
  expect(site).toMatch(/<link rel="preload" href="\/split_tourism\.wasm"/);
});
