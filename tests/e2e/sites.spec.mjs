// Tourism: a visitor scans the plate at a site (`/s/{slug}`) and reads or
// hears its guide in their language; the list of sites; opening hours in
// Vietnam time; the guide keeps working offline.
import { test, expect } from './clock.mjs';
import AxeBuilder from '@axe-core/playwright';

async function axe(page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`)).toEqual([]);
}

/** Unix ms of a Vietnam local time (UTC+7). */
const vn = (y, m, d, hh, mm) => Date.UTC(y, m - 1, d, hh - 7, mm);

test.describe('a Korean visitor', () => {
  test.use({ locale: 'ko-KR' });

  test('scans the plate and gets the guide and the interface in Korean', async ({ page }) => {
    await page.goto('/s/vinh-moc');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('빈목 땅굴');
    await expect(page.locator('html')).toHaveAttribute('lang', 'ko');
    await expect(page.locator('article.site')).toHaveAttribute('lang', 'ko');
    // The interface around the guide is Korean too, not English.
    await expect(page.getByRole('heading', { name: '티켓' }).or(page.getByRole('heading', { name: '입장료' }))).toBeVisible();
    await expect(page.locator('.site-untranslated')).toHaveCount(0);
    await axe(page);
  });
});

test('switching the guide to English persists across a reload', async ({ page }) => {
  await page.goto('/s/hien-luong');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Đôi bờ Hiền Lương – Bến Hải');
  await page.locator('.lang-menu > summary').click();
  await page.locator('.lang-menu__list').getByRole('button', { name: 'English', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hiền Lương Bridge and the Bến Hải River');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hiền Lương Bridge and the Bến Hải River');
  await expect(page.getByRole('heading', { name: 'Tickets' })).toBeVisible();
  await expect(page.getByRole('row', { name: /Adult/ })).toContainText('40.000');
  await axe(page);
});

test.describe('opening hours, on a phone set to New York time', () => {
  test.use({ timezoneId: 'America/New_York' });

  test('"open now" and the next opening are worked out in Vietnam time', async ({ page }) => {
    // 09:00 on a Tuesday in Quảng Trị is still Monday evening in New York.
    await page.clock.setFixedTime(vn(2026, 11, 24, 9, 0));
    await page.goto('/s/vinh-moc');
    await expect(page.locator('#open-state')).toHaveText('Đang mở cửa · đóng cửa lúc 17:00');
    await page.clock.setFixedTime(vn(2026, 11, 24, 18, 30));
    await page.reload();
    await expect(page.locator('#open-state')).toHaveText('Đã đóng cửa · mở cửa lúc 07:00 ngày mai');
    // Tết: closed all day, short hours the day after.
    await page.clock.setFixedTime(vn(2027, 2, 6, 10, 0));
    await page.reload();
    await expect(page.locator('#open-state')).toHaveText('Đã đóng cửa (Tết Nguyên Đán) · mở cửa lúc 08:00 ngày mai');
  });
});

test('"Nghe thuyết minh" reads the guide aloud sentence by sentence, with pause and stop', async ({ page }) => {
  await page.addInitScript(() => {
    window.__spoken = [];
    const queue = [];
    const voice = { lang: 'vi-VN', name: 'Giọng thử', voiceURI: 'test', default: true, localService: true };
    window.SpeechSynthesisUtterance = class { constructor(text) { this.text = text; } };
    let paused = false;
    const next = () => {
      const u = queue.shift();
      if (!u) return;
      window.__spoken.push({ text: u.text, lang: u.lang, voice: u.voice && u.voice.name });
      u.onstart && u.onstart();
      // Hold the first and the fifth sentences until the test lets them go.
      if (window.__spoken.length === 1 || window.__spoken.length === 5) { window.__release = () => { u.onend && u.onend(); next(); }; return; }
      setTimeout(() => { if (!paused) { u.onend && u.onend(); next(); } }, 5);
    };
    Object.defineProperty(window, 'speechSynthesis', { value: {
      getVoices: () => [voice],
      speak: (u) => { queue.push(u); if (queue.length === 1 && window.__spoken.length === 0) setTimeout(next, 0); },
      cancel: () => { queue.length = 0; window.__cancelled = true; },
      pause: () => { paused = true; },
      resume: () => { paused = false; },
      set onvoiceschanged(_) {},
    } });
  });
  await page.goto('/s/vinh-moc');
  await page.getByRole('button', { name: 'Nghe thuyết minh' }).click();
  await expect.poll(() => page.evaluate(() => window.__spoken.length)).toBe(1);
  const first = await page.evaluate(() => window.__spoken[0]);
  expect(first.text).toContain('Vịnh Mốc');
  expect(first.lang).toBe('vi');
  expect(first.voice).toBe('Giọng thử');
  // The sentence being read is highlighted.
  await expect(page.locator('.sentence.is-speaking')).toHaveText(first.text);
  await page.getByRole('button', { name: 'Tạm dừng' }).click();
  await expect(page.getByRole('button', { name: 'Nghe tiếp' })).toBeVisible();
  await page.getByRole('button', { name: 'Nghe tiếp' }).click();
  await page.evaluate(() => window.__release());
  await expect.poll(() => page.evaluate(() => window.__spoken.length)).toBe(5);
  const texts = await page.evaluate(() => window.__spoken.map((s) => s.text));
  // In reading order, each sentence once: the story follows the summary.
  expect(new Set(texts).size).toBe(5);
  await expect(page.locator('.sentence.is-speaking')).toHaveText(texts[4]);
  await page.evaluate(() => { window.__cancelled = false; });
  await page.getByRole('button', { name: 'Dừng', exact: true }).click();
  expect(await page.evaluate(() => window.__cancelled)).toBe(true);
  await expect(page.getByRole('button', { name: 'Nghe thuyết minh' })).toBeVisible();
  await expect(page.locator('.sentence.is-speaking')).toHaveCount(0);
});

/** A phone whose speech synthesis has exactly `voices` (none: `[]`). */
async function phoneVoices(page, voices) {
  await page.addInitScript((vs) => {
    Object.defineProperty(window, 'speechSynthesis', { value: {
      getVoices: () => vs, speak() {}, cancel() {}, pause() {}, resume() {}, set onvoiceschanged(_) {},
    } });
  }, voices);
}

const inLang = (page, l) => page.addInitScript((x) => localStorage.setItem('cuaso.lang', x), l);

test('without a voice for the language, the page says so and how to add one (vi, then en)', async ({ page }) => {
  await phoneVoices(page, [{ lang: 'en-US', name: 'English only' }]);
  await page.goto('/s/vinh-moc');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Địa đạo Vịnh Mốc');
  const guide = page.locator('.audio-guide');
  await expect(guide.getByRole('heading', { name: 'Thuyết minh' })).toBeVisible();
  await expect(guide).toContainText('Điện thoại này chưa có giọng đọc tiếng Việt nên chưa đọc to được phần giới thiệu.');
  await expect(guide).toContainText('Android: Cài đặt → Hệ thống (hoặc Quản lý chung) → Ngôn ngữ → Chuyển văn bản thành giọng nói');
  await expect(guide).toContainText('iPhone: Cài đặt → Trợ năng → Nội dung được đọc → Giọng nói → tiếng Việt');
  await expect(page.getByRole('button', { name: 'Nghe thuyết minh' })).toHaveCount(0);
  await axe(page);
  await page.locator('.lang-menu > summary').click();
  await page.locator('.lang-menu__list').getByRole('button', { name: 'English', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Vịnh Mốc Tunnels');
  // English guide, English-only phone: now it can read aloud.
  await expect(page.getByRole('button', { name: 'Listen to the guide' })).toBeVisible();
  await axe(page);
});

test.describe('a Korean visitor and the audio guide', () => {
  test.use({ locale: 'ko-KR' });

  test('a phone with no Korean voice is told so, in Korean, with the settings to open', async ({ page }) => {
    // Many cheap Android phones: voices, none Korean (or none at all).
    await phoneVoices(page, []);
    await page.goto('/s/vinh-moc');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('빈목 땅굴');
    const guide = page.locator('.audio-guide');
    await expect(guide).toContainText('이 휴대폰에는 한국어 음성이 없어서 안내문을 소리 내어 읽을 수 없습니다.');
    await expect(guide).toContainText('아이폰: 설정 → 손쉬운 사용 → 음성 콘텐츠 → 음성 → 한국어');
    await expect(guide).toContainText('안드로이드: 설정');
    await expect(page.getByRole('button', { name: '음성 안내 듣기' })).toHaveCount(0);
    await axe(page);
  });

  test('a phone with a Korean voice is offered the read-aloud', async ({ page }) => {
    await phoneVoices(page, [{ lang: 'ko-KR', name: '유나', voiceURI: 'yuna', default: true, localService: true }]);
    await page.goto('/s/vinh-moc');
    await expect(page.getByRole('button', { name: '음성 안내 듣기' })).toBeVisible();
    await expect(page.locator('.audio-guide')).not.toContainText('음성이 없어서');
  });

  test('a site with a recording plays it, labelled as a machine voice', async ({ page }) => {
    await phoneVoices(page, []);
    await page.goto('/s/thanh-co-quang-tri');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('꽝찌 고성');
    const audio = page.locator('.audio-guide audio');
    await expect(audio).toHaveAttribute('src', '/public/sites/audio/thanh-co-quang-tri.ko.opus');
    await expect(page.locator('.audio-guide')).toContainText('기계 음성입니다.');
    // The recording, not the "no voice" advice, whatever the phone has.
    await expect(page.locator('.audio-guide')).not.toContainText('음성이 없어서');
    expect(await playsFor(audio)).toBeGreaterThan(0.2);
    await axe(page);
  });
});

/** Plays the <audio> muted (no gesture needed) and returns its position after a moment. */
async function playsFor(audio) {
  return audio.evaluate(async (el) => {
    el.muted = true;
    await el.play();
    await new Promise((ok) => setTimeout(ok, 800));
    el.pause();
    if (el.error) throw new Error(`media error ${el.error.code}`);
    return el.currentTime;
  });
}

test('a site with a recording: the player, a machine voice said so, in vi and en', async ({ page }) => {
  await page.goto('/s/thanh-co-quang-tri');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Thành cổ Quảng Trị');
  const audio = page.locator('.audio-guide audio');
  await expect(audio).toHaveAttribute('src', '/public/sites/audio/thanh-co-quang-tri.vi.opus');
  await expect(page.locator('.audio-guide')).toContainText('Đây là giọng máy đọc, dùng tạm cho đến khi tỉnh có bản thu giọng người.');
  expect(await playsFor(audio)).toBeGreaterThan(0.2);
  expect(await audio.evaluate((el) => el.duration)).toBeGreaterThan(20);
  await axe(page);
  await page.locator('.lang-menu > summary').click();
  await page.locator('.lang-menu__list').getByRole('button', { name: 'English', exact: true }).click();
  await expect(audio).toHaveAttribute('src', '/public/sites/audio/thanh-co-quang-tri.en.opus');
  await expect(page.locator('.audio-guide')).toContainText('This is a machine voice');
  await axe(page);
});

test('the plate promises an audio guide only where there is a recording', async ({ page }) => {
  await page.goto('/sites/thanh-co-quang-tri/plate');
  await expect(page.locator('.plate__scan')).toHaveText('Quét để nghe thuyết minh – Scan for audio guide');
  await axe(page);
  await page.goto('/sites/vinh-moc/plate');
  await expect(page.locator('.plate__name').first()).toHaveText('Địa đạo Vịnh Mốc');
  await expect(page.locator('.plate__scan')).toHaveText('Quét để xem giới thiệu – Scan for the guide');
  await axe(page);
  await inLang(page, 'en');
  await page.reload();
  await expect(page.locator('.plate__scan')).toHaveText('Quét để xem giới thiệu – Scan for the guide');
  await axe(page);
});

test('a visitor is not offered the staff\'s "print the QR plate" link', async ({ page }) => {
  for (const l of ['vi', 'en']) {
    await inLang(page, l);
    await page.goto('/s/vinh-moc');
    await expect(page.locator('article.site')).toHaveAttribute('lang', l);
    await expect(page.locator('.site__nearby li').first()).toBeVisible();
    await expect(page.getByRole('link', { name: /In bảng mã QR|Print the QR plate/ })).toHaveCount(0);
    await expect(page.locator('a[href$="/plate"]')).toHaveCount(0);
  }
});

test('Chinese guides use full-width punctuation', async ({ page }) => {
  await inLang(page, 'zh');
  await page.goto('/s/vinh-moc');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('永木地道');
  await expect(page.locator('.lead')).toContainText('战争年代，永木（Vinh Moc）村民亲手挖出的地下村庄，');
  await expect(page.locator('.site__hero')).toHaveAttribute('alt', /^插图：/);
  const text = await page.locator('article.site').innerText();
  expect(text.match(/[\u4e00-\u9fff][,:;?!(]|[,:;?!)][\u4e00-\u9fff]/g)).toBeNull();
});

for (const [lang, slug] of [['vi', 'vinh-moc'], ['en', 'vinh-moc'], ['vi', 'thanh-co-quang-tri'], ['zh', 'hien-luong']]) {
  test(`at 320 px the header holds on one row (${lang}, /sites and /s/${slug})`, async ({ page }) => {
    await page.setViewportSize({ width: 320, height: 640 });
    await inLang(page, lang);
    for (const path of ['/sites', `/s/${slug}`]) {
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      const row = await page.evaluate(() => {
        const box = (s) => document.querySelector(s).getBoundingClientRect();
        const name = document.querySelector('.brand__province');
        const lineH = parseFloat(getComputedStyle(name).lineHeight) || 16;
        return {
          inner: box('.site-header__inner').height,
          sw: box('.lang-switch').height,
          province: box('.brand__province').height / lineH,
          brandTop: box('.brand').top,
          switchTop: box('.lang-switch').top,
          overflow: document.documentElement.scrollWidth - window.innerWidth,
        };
      });
      expect(row.overflow, 'no sideways scroll').toBeLessThanOrEqual(0);
      expect(row.sw, 'the language button on one line').toBeLessThanOrEqual(48);
      expect(row.province, 'the province on one line').toBeLessThan(1.5);
      expect(row.inner, 'one row').toBeLessThanOrEqual(60);
      expect(Math.abs(row.switchTop - row.brandTop)).toBeLessThan(12);
    }
    await axe(page);
  });
}

test('the site list: folded search, category filter, and sorting by distance', async ({ page, context }) => {
  await page.goto('/sites');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Điểm tham quan');
  const cards = page.locator('.site-card');
  // The heading paints before the list arrives: wait for the eighth site.
  await expect(cards.nth(7)).toBeVisible();
  await page.getByLabel('Tìm điểm tham quan').fill('dia dao vinh moc');
  await expect(cards).toHaveCount(1);
  await expect(cards.first()).toContainText('Địa đạo Vịnh Mốc');
  await page.getByLabel('Tìm điểm tham quan').fill('');
  await page.getByLabel('Loại hình').selectOption({ label: 'Vườn quốc gia' });
  await expect(cards).toHaveCount(1);
  await expect(cards.first()).toContainText('Phong Nha');
  await page.getByLabel('Loại hình').selectOption({ label: 'Tất cả' });
  await axe(page);
  // Standing at the citadel in Quảng Trị town.
  await context.grantPermissions(['geolocation']);
  await context.setGeolocation({ latitude: 16.7503, longitude: 107.1893 });
  await page.getByRole('button', { name: 'Xếp theo khoảng cách tới tôi' }).click();
  await expect(page.getByText('Điểm gần bạn nhất ở trên cùng.')).toBeVisible();
  await expect(cards.first()).toContainText('Thành cổ Quảng Trị');
  await expect(cards.first()).toContainText('cách 0,0 km');
  await expect(cards.last()).toContainText('Phong Nha');
});

test('refused location keeps the list and says why', async ({ page, context }) => {
  await context.clearPermissions();
  await page.goto('/sites');
  await expect(page.locator('.site-card').first()).toBeVisible();
  const before = await page.locator('.site-card h2').allInnerTexts();
  await page.getByRole('button', { name: 'Xếp theo khoảng cách tới tôi' }).click();
  await expect(page.getByText(/Bạn chưa cho phép dùng vị trí/)).toBeVisible();
  expect(await page.locator('.site-card h2').allInnerTexts()).toEqual(before);
});

for (const [lang, name] of [['vi', 'Địa đạo Vịnh Mốc'], ['en', 'Vịnh Mốc Tunnels'], ['ko', '빈목 땅굴'], ['zh', '永木地道']]) {
  test(`axe finds nothing on the list and a site page in ${lang}`, async ({ page }) => {
    await page.addInitScript((l) => localStorage.setItem('cuaso.lang', l), lang);
    await page.goto('/sites');
    await expect(page.locator('.site-card').first()).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', lang);
    await axe(page);
    await page.goto('/s/vinh-moc');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
    await expect(page.locator('article.site')).toHaveAttribute('lang', lang);
    await axe(page);
  });
}

test('a site visited once opens again offline, marked as a saved copy', async ({ page, context }) => {
  await page.goto('/s/cua-tung');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Bãi biển Cửa Tùng');
  await page.evaluate(() => navigator.serviceWorker.ready);
  // Once the worker controls the page, the guide's request passes through it.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Bãi biển Cửa Tùng');
  await expect(page.locator('.site-saved')).toHaveCount(0);
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Bãi biển Cửa Tùng');
  await expect(page.locator('.site-saved')).toContainText('Bạn đang xem bản đã lưu trên máy');
  await expect(page.locator('.site__hero')).toHaveJSProperty('complete', true);
  expect(await page.locator('.site__hero').evaluate((img) => img.naturalWidth)).toBeGreaterThan(0);
  await context.setOffline(false);
});

test('"Tải về để xem ngoại tuyến" saves every site; another one then opens offline, recording included', async ({ page, context }) => {
  await page.goto('/sites');
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload();
  await page.getByRole('button', { name: 'Tải về để xem ngoại tuyến' }).click();
  await expect(page.locator('.download-all__status')).toContainText('để xem ngoại tuyến', { timeout: 20_000 });
  await context.setOffline(true);
  await page.goto('/s/truong-son');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Trường Sơn');
  await expect(page.locator('.site-saved')).toBeVisible();
  // A recording saved with its guide plays offline.
  await page.goto('/s/thanh-co-quang-tri');
  await expect(page.locator('.site-saved')).toBeVisible();
  const audio = page.locator('.audio-guide audio');
  await expect(audio).toHaveAttribute('src', '/public/sites/audio/thanh-co-quang-tri.vi.opus');
  expect(await playsFor(audio)).toBeGreaterThan(0.2);
  // Seeking asks for a byte range in the middle: the worker cuts it from the saved file.
  expect(await audio.evaluate(async (el) => {
    el.currentTime = el.duration / 2;
    await el.play();
    await new Promise((ok) => setTimeout(ok, 500));
    el.pause();
    return el.error ? -1 : el.currentTime / el.duration;
  })).toBeGreaterThan(0.4);
  await context.setOffline(false);
});

test('an online visit replaces a stale saved copy', async ({ page }) => {
  await page.goto('/s/con-co');
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Cồn Cỏ');
  // Make the saved copy stale, as if the province had edited the guide since.
  const url = await page.evaluate(async () => {
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const req of await cache.keys()) {
        if (req.url.includes('/api/v1/sites/con-co')) {
          const res = await cache.match(req);
          const body = await res.json();
          body.name = 'BẢN CŨ';
          const headers = new Headers(res.headers);
          await cache.put(req, new Response(JSON.stringify(body), { headers }));
          return req.url;
        }
      }
    }
    return null;
  });
  expect(url).not.toBeNull();
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Cồn Cỏ');
  // The worker stores the fresh answer once it has served it.
  await expect.poll(() => page.evaluate(async (u) => {
    const r = await caches.match(u, { ignoreVary: true });
    return r ? (await r.json()).name : null;
  }, url)).toContain('Cồn Cỏ');
});
