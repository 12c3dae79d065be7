// The scanner at /scan where the browser has no BarcodeDetector (Firefox,
// most webviews, and this Chromium on Linux): a photo of a QR code, or the
// camera, is decoded by the QR worker (qr/) and the page it names opens.
import { chromium } from '@playwright/test';
import { test, expect } from './clock.mjs';
import AxeBuilder from '@axe-core/playwright';
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ROOT, PORT, CHROMIUM_ARGS } from './playwright.config.mjs';

const FIXTURES = resolve(ROOT, 'tests/e2e/fixtures');
// Written by `cargo run -p cuaso-qr --example fixture -- TEXT OUT.png`.
const SITE_QR = resolve(FIXTURES, 'qr-site-vinh-moc.png');
const BATCH_QR = resolve(FIXTURES, 'qr-batch-L2504.png');

async function axe(page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`)).toEqual([]);
}

/** Makes the browser lack BarcodeDetector, whatever build it is. */
async function withoutBarcodeDetector(page) {
  await page.addInitScript(() => { delete window.BarcodeDetector; });
}

/**
 * Turns a clean label PNG into something like a phone photo of it: a 1600×1200
 * JPEG of the label, tilted and smaller than the frame, on a noisy table under
 * uneven light. Drawn by the browser itself.
 */
async function photoOf(page, png, { angle = 0.26, size = 520 } = {}) {
  const b64 = readFileSync(png).toString('base64');
  const jpeg = await page.evaluate(async ({ b64, angle, size }) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = 1600; c.height = 1200;
    const g = c.getContext('2d');
    const light = g.createLinearGradient(0, 0, 1600, 1200);
    light.addColorStop(0, '#b9a58c'); light.addColorStop(1, '#5d5245');
    g.fillStyle = light; g.fillRect(0, 0, 1600, 1200);
    g.save();
    g.translate(700, 650); g.rotate(angle);
    g.fillStyle = '#fbf8f0'; g.fillRect(-size / 2 - 30, -size / 2 - 30, size + 60, size + 90);
    g.drawImage(img, -size / 2, -size / 2, size, size);
    g.restore();
    const px = g.getImageData(0, 0, 1600, 1200);
    let seed = 7;
    for (let i = 0; i < px.data.length; i += 4) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const n = (seed % 25) - 12;
      px.data[i] += n; px.data[i + 1] += n; px.data[i + 2] += n;
    }
    g.putImageData(px, 0, 0);
    const blob = await new Promise((r) => c.toBlob(r, 'image/jpeg', 0.82));
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let s = '';
    for (const b of bytes) s += String.fromCharCode(b);
    return btoa(s);
  }, { b64, angle, size });
  return Buffer.from(jpeg, 'base64');
}

test('a photo of a site plate and of a product label opens their pages, decoded in the QR worker', async ({ page }) => {
  await withoutBarcodeDetector(page);
  const fetched = [];
  page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
  await page.goto('/scan');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Quét hoặc nhập mã');
  // Not a byte of the decoder until a photo is picked.
  expect(fetched.filter((p) => p.includes('qrworker'))).toEqual([]);

  const site = await photoOf(page, SITE_QR);
  await page.getByLabel('Chọn ảnh mã QR').setInputFiles({ name: 'IMG_0412.jpg', mimeType: 'image/jpeg', buffer: site });
  await expect(page).toHaveURL('/s/vinh-moc');
  expect(fetched).toContain('/qrworker_bg.wasm');

  await page.goto('/scan');
  const label = await photoOf(page, BATCH_QR, { angle: -0.4, size: 600 });
  await page.getByLabel('Chọn ảnh mã QR').setInputFiles({ name: 'IMG_0413.jpg', mimeType: 'image/jpeg', buffer: label });
  await expect(page).toHaveURL('/01/08930000000019/10/L2504');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Lô hàng L2504');
  await expect(page.locator('.lead')).toContainText('Hạt tiêu Cùa');
});

test('a photo without a code says how to retake it, and what was typed stays', async ({ page }) => {
  await withoutBarcodeDetector(page);
  await page.goto('/scan');
  await page.getByLabel('Mã hoặc địa chỉ trong mã QR').fill('89300000');
  const blank = await page.evaluate(async () => {
    const c = document.createElement('canvas');
    c.width = 800; c.height = 600;
    const g = c.getContext('2d');
    g.fillStyle = '#7a6f63'; g.fillRect(0, 0, 800, 600);
    const blob = await new Promise((r) => c.toBlob(r, 'image/jpeg', 0.8));
    return [...new Uint8Array(await blob.arrayBuffer())];
  });
  await page.getByLabel('Chọn ảnh mã QR').setInputFiles({ name: 'ban.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(blank) });
  await expect(page.locator('#scan-status')).toHaveText(/Không tìm thấy mã QR trong ảnh\. Chụp lại gần hơn/);
  await expect(page).toHaveURL('/scan');
  await expect(page.getByLabel('Mã hoặc địa chỉ trong mã QR')).toHaveValue('89300000');

  // A file that is not a picture at all.
  await page.getByLabel('Chọn ảnh mã QR').setInputFiles({ name: 'note.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('not a picture') });
  await expect(page.locator('#scan-status')).toHaveText(/Không mở được ảnh này/);
  await axe(page);
});

test('a barcode number and lot typed by hand open the batch; a bad lot is explained at its field', async ({ page }) => {
  await page.goto('/scan');
  await page.getByLabel('Mã hoặc địa chỉ trong mã QR').fill('8930000000019');
  await page.getByLabel(/^Số lô/).fill('L 2504');
  await page.getByRole('button', { name: 'Mở', exact: true }).click();
  await expect(page.locator('#scan-lot-error')).toContainText('dấu cách');
  await expect(page.getByLabel(/^Số lô/)).toBeFocused();
  await expect(page.getByLabel(/^Số lô/)).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel(/^Số lô/).fill('L2504');
  await page.getByRole('button', { name: 'Mở', exact: true }).click();
  await expect(page).toHaveURL('/01/08930000000019/10/L2504');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Lô hàng L2504');
});

test('no camera, or a refused one, is explained and leaves the photo and typing paths', async ({ page }) => {
  // This machine has no camera at all.
  await page.goto('/scan');
  await page.getByRole('button', { name: 'Quét bằng máy ảnh' }).click();
  await expect(page.locator('#scan-status')).toHaveText(/^Không tìm thấy máy ảnh trên thiết bị này\. Hãy chọn ảnh mã QR/);
  await expect(page.getByLabel('Chọn ảnh mã QR')).toBeAttached();
  await expect(page.getByRole('button', { name: 'Quét bằng máy ảnh' })).toBeVisible();
  await axe(page);

  // A camera, but the permission prompt is refused.
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS, '--use-fake-device-for-media-stream'],
  });
  try {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'vi-VN' });
    await phone.goto(`http://127.0.0.1:${PORT}/scan`);
    await phone.getByRole('button', { name: 'Quét bằng máy ảnh' }).click();
    await expect(phone.locator('#scan-status')).toHaveText(/^Cửa Số chưa được phép dùng máy ảnh\. Bạn có thể cho phép/);
    await expect(phone.locator('.scanner__view')).toBeHidden();
  } finally {
    await browser.close();
  }
});

test('the camera reads a QR plate held in front of it and the camera turns off', async ({ page }, info) => {
  // Chromium's fake camera plays a Y4M file: make one showing the plate.
  const y4m = resolve(info.outputDir, 'plate.y4m');
  mkdirSync(info.outputDir, { recursive: true });
  await page.goto('/scan');
  const b64 = readFileSync(SITE_QR).toString('base64');
  const frame = await page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = 640; c.height = 480;
    const g = c.getContext('2d');
    g.fillStyle = '#6b665e'; g.fillRect(0, 0, 640, 480);
    g.translate(320, 240); g.rotate(0.12);
    g.drawImage(img, -170, -170, 340, 340);
    const d = g.getImageData(0, 0, 640, 480).data;
    const y = new Array(640 * 480);
    for (let i = 0; i < y.length; i++) y[i] = Math.round(0.299 * d[4 * i] + 0.587 * d[4 * i + 1] + 0.114 * d[4 * i + 2]);
    return y;
  }, b64);
  const header = Buffer.from('YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg\n');
  const one = Buffer.concat([Buffer.from('FRAME\n'), Buffer.from(frame), Buffer.alloc(2 * 320 * 240, 128)]);
  writeFileSync(y4m, Buffer.concat([header, one, one, one]));

  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS, '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${y4m}`],
  });
  try {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'vi-VN' });
    await phone.addInitScript(() => {
      delete window.BarcodeDetector;
      // Keep the streams the page opens, to check the camera is released.
      const open = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
      window.__streams = [];
      navigator.mediaDevices.getUserMedia = async (c) => { const s = await open(c); window.__streams.push(s); return s; };
    });
    await phone.goto(`http://127.0.0.1:${PORT}/scan`);
    await phone.getByRole('button', { name: 'Quét bằng máy ảnh' }).click();
    await expect(phone).toHaveURL(`http://127.0.0.1:${PORT}/s/vinh-moc`);
    // The page moved on without a reload: the camera it opened is off.
    const tracks = await phone.evaluate(() => window.__streams.flatMap((s) => s.getTracks().map((t) => t.readyState)));
    expect(tracks.length).toBeGreaterThan(0);
    expect(tracks.every((t) => t === 'ended')).toBe(true);
  } finally {
    await browser.close();
  }
});
