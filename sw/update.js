// "A new version is available": the prompt shown when a newer service worker
// (a new deploy, or a redeployed older one) is waiting. Never part of a first
// visit: sw.js adds it to the pages it serves (README, "Offline and
// updates"), and scripts/make-sw.sh writes it into dist/ as
// sw-update-HASH.js. Plain JS; styled with the app's own classes.
//
// Nothing happens by itself: the page reloads into the new version only when
// the citizen presses the button (whatever they were typing stays in its
// draft anyway); "Later" hides the prompt until the next visit.
const sw = navigator.serviceWorker;
const reg = sw && (await sw.getRegistration());
let asked = false;
let shown = false;
// Set just before the reload the citizen asked for (see `go`).
const KEY = 'cuaso.sw-reload';
let reloaded = false;
try {
  reloaded = sessionStorage.getItem(KEY) === '1';
  sessionStorage.removeItem(KEY);
} catch {}

// The waiting worker takes over, then the page reloads into it. Chromium
// holds the handover back while the old worker still serves this page, so
// if it has not come within 2 s the page reloads anyway; the new page then
// finishes the handover without asking again.
function go() {
  asked = true;
  if (reg && reg.waiting) reg.waiting.postMessage({ type: 'skip-waiting' });
  else return location.reload();
  setTimeout(() => {
    try { sessionStorage.setItem(KEY, '1'); } catch {}
    location.reload();
  }, 2000);
}

const TEXT = {
  vi: ['Đã có phiên bản mới của Cửa Số.', 'Tải lại để dùng', 'Để sau'],
  en: ['A new version of Cửa Số is available.', 'Reload to use it', 'Later'],
};

function show() {
  if (shown || document.getElementById('sw-update')) return;
  shown = true;
  const [msg, goText, laterText] = TEXT[document.documentElement.lang.startsWith('vi') ? 'vi' : 'en'];
  const box = document.createElement('div');
  box.id = 'sw-update';
  box.className = 'notice';
  // Polite: announced when the reader is free, and focus stays where it is.
  box.setAttribute('role', 'status');
  const nav = document.querySelector('.main-nav');
  const above = nav && getComputedStyle(nav).position === 'fixed' ? nav.offsetHeight : 0;
  Object.assign(box.style, {
    position: 'fixed', left: '.5rem', right: '.5rem', bottom: `calc(${above}px + .5rem)`, zIndex: '60',
    maxWidth: '40rem', margin: '0 auto', display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: '.5rem',
    boxShadow: '0 2px 10px rgba(0,0,0,.25)',
  });
  const p = document.createElement('p');
  p.textContent = msg;
  Object.assign(p.style, { margin: '0', flex: '1 1 12rem' });
  const button = (text, cls, onclick) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = `btn ${cls}`;
    b.textContent = text;
    b.style.minHeight = '44px';
    b.addEventListener('click', onclick);
    return b;
  };
  box.append(
    p,
    button(goText, 'btn-primary', go),
    button(laterText, 'btn-secondary', () => box.remove()),
  );
  document.body.append(box);
}

if (reg && sw.controller) {
  sw.addEventListener('controllerchange', () => {
    // Reload only when asked here; another tab's choice only shows the
    // prompt. After the reload asked for, the new worker taking over needs
    // nothing more: this page came from the network.
    if (asked) location.reload();
    else if (!reloaded) show();
  });
  const watch = (w) => w && w.addEventListener('statechange', () => w.state === 'installed' && show());
  if (reg.waiting && reloaded) reg.waiting.postMessage({ type: 'skip-waiting' });
  else if (reg.waiting) show();
  watch(reg.installing);
  reg.addEventListener('updatefound', () => watch(reg.installing));
  // Asks the server for sw.js once the page has loaded (the browser's own
  // checks come late or not at all), and again when a tab left open for an
  // hour or more comes back into view.
  let checked = 0;
  const check = () => {
    if (Date.now() - checked < 36e5) return;
    checked = Date.now();
    reg.update().catch(() => {});
  };
  if (document.readyState === 'complete') check();
  else addEventListener('load', check);
  document.addEventListener('visibilitychange', () => document.visibilityState === 'visible' && check());
}
