// axe-core: zero violations (WCAG 2.x A/AA and best practices) on every page, in both languages.
import { test, expect } from './clock.mjs';
import AxeBuilder from '@axe-core/playwright';

const pages = [
  ['home', '/', 'h1'],
  ['catalogue', '/services', '.procedure-card'],
  ['catalogue search', '/services?q=dang%20ky', '.procedure-card'],
  ['procedure', '/services/1.001193', 'article.procedure'],
  ['procedure (counter only)', '/services/9.000002', 'h1'],
  ['not found', '/khong-co-trang-nay', 'h1'],
  ['sites', '/sites', 'h1'],
  ['scanner', '/scan', '#scan-text'],
  ['track lookup', '/track', '#track-code'],
  ['my dossiers (empty)', '/my', 'h1'],
  ['error', '/services/abc', '[role=alert]'],
  ['producer login', '/producer/login', '#login-username'],
  ['feedback', '/feedback', '#fb-code'],
  ['feedback form', '/feedback/new', '#fb-title'],
  ['feedback not found', '/feedback/PA-261123-ABCDE', '.error-panel'],
  ['personal data notice', '/privacy', '#privacy-contact'],
];

for (const lang of ['vi', 'en']) {
  for (const [name, path, ready] of pages) {
    test(`axe: ${name} (${lang}) has no violations`, async ({ page }) => {
      await page.addInitScript(l => localStorage.setItem('cuaso.lang', l), lang);
      await page.goto(path);
      await expect(page.locator(ready).first()).toBeVisible();
      const results = await new AxeBuilder({ page }).analyze();
      const summary = results.violations.map(v => `${v.id}: ${v.help} (${v.nodes.map(n => n.target.join(' ')).join(', ')})`);
      expect(summary).toEqual([]);
    });
  }
}
