// Phone-sized screenshots of app pages: node scripts/screenshot.mjs URL OUT.png [lang]
// Uses Debian's Chromium; prints console errors so a blank page is never silent.
import { chromium } from '@playwright/test';

const [url, out, lang] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
if (lang) await context.addInitScript(l => localStorage.setItem('cuaso.lang', l), lang);
const page = await context.newPage();
page.on('console', m => { if (m.type() === 'error' || m.type() === 'warning') console.log(`[${m.type()}] ${m.text()}`); });
page.on('pageerror', e => console.log(`[pageerror] ${e.message}`));
await page.goto(url, { waitUntil: 'networkidle' });
await page.waitForTimeout(300);
await page.screenshot({ path: out, fullPage: process.env.FULL === '1' });
await browser.close();
