// One clock for the whole e2e world, so the suite is green on any day
// (`make test-dates` runs it with the machine's clock moved to other dates):
// - the server runs from CLOCK_START (`--clock-start`) and tells its "now"
//   on /api/v1/health;
// - every browser context's clock is installed at the server's now before a
//   page opens (the app checks dates against the phone's clock);
// - every date a test types or sends is counted from the server's today.
// Date.now() in a test is only for unique names, never for a date.
import { test as base, expect } from '@playwright/test';
import { CLOCK_START } from './playwright.config.mjs';

export { CLOCK_START };

/** The server's clock now, as a Date (ask the server, which may have run for minutes). */
export async function serverNow(request) {
  const r = await request.get('/api/v1/health');
  expect(r.status()).toBe(200);
  return new Date((await r.json()).now);
}

/** The Vietnamese calendar date (UTC+7) `days` before the instant `now`. */
export function daysBefore(now, days) {
  const d = new Date(now.getTime() + 7 * 3600_000 - days * 86400_000);
  return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate() };
}

/** `YYYY-MM-DD` of a date from [`daysBefore`]. */
export function iso({ y, m, d }) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${y}-${pad(m)}-${pad(d)}`;
}

/** Sets a browser context's clock to the server's now (it runs on from there). */
export async function syncClock(context, request) {
  await context.clock.install({ time: await serverNow(request) });
}

/** A new browser context whose clock is the server's. */
export async function newContext(browser, request, options = {}) {
  const context = await browser.newContext(options);
  await syncClock(context, request);
  return context;
}

/** Playwright's `test`, with every test's context on the server's clock. */
export const test = base.extend({
  context: async ({ context, request }, use) => {
    await syncClock(context, request);
    await use(context);
  },
});

export { expect };
