// Byte budget: what a first visit downloads (HTML + JS + wasm + CSS + the
// emblem), brotli-compressed as the server sends it, must stay within 150 KB.
// Deterministic, so it is a test; it prints the breakdown either way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';

const DIST = new URL('../dist/', import.meta.url).pathname;
const BUDGET = 150_000; // bytes, brotli. Never raise it silently: see README, "Byte budget".

function brotli(buf) {
  return brotliCompressSync(buf, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: buf.length },
  }).length;
}

/** Same-origin files the shell makes the browser fetch. */
function firstVisitFiles(html) {
  const refs = new Set();
  const patterns = [
    /<link[^>]+href="(\/[^"]+)"/g,          // stylesheet, modulepreload, preload, icon
    /<img[^>]+src="(\/[^"]+)"/g,            // the emblem in the loading shell
    /from '(\/[^']+\.js)'/g,                // the module script's import
    /module_or_path: '(\/[^']+\.wasm)'/g,   // the wasm
  ];
  for (const re of patterns) for (const m of html.matchAll(re)) refs.add(m[1]);
  return [...refs].map(r => r.slice(1));
}

function measure() {
  assert.ok(existsSync(join(DIST, 'index.html')), 'dist/index.html exists: run `make build` first');
  const html = readFileSync(join(DIST, 'index.html'));
  const files = firstVisitFiles(html.toString());
  assert.ok(files.some(f => f.endsWith('.wasm')), 'the shell loads a wasm file');
  assert.ok(files.some(f => f.endsWith('.js')), 'the shell loads the JS glue');
  assert.ok(files.some(f => f.endsWith('.css')), 'the shell loads the stylesheet');
  const rows = [['index.html', html.length, brotli(html)]];
  // Modules the JS glue imports statically (the lazy-chunk loader) come too;
  // the lazy chunks themselves do not.
  for (const f of [...files]) {
    if (!f.endsWith('.js')) continue;
    for (const m of readFileSync(join(DIST, f), 'utf8').matchAll(/from ["']\.\/([^"']+\.js)["']/g)) {
      if (!files.includes(m[1])) files.push(m[1]);
    }
  }
  for (const f of files) {
    const buf = readFileSync(join(DIST, f));
    rows.push([f, buf.length, brotli(buf)]);
  }
  const total = rows.reduce((a, r) => a + r[2], 0);
  const raw = rows.reduce((a, r) => a + r[1], 0);
  console.log('\nfirst-visit bytes (brotli q11):');
  for (const [f, r, b] of rows) console.log(`  ${f.padEnd(40)} ${String(r).padStart(9)} raw ${String(b).padStart(9)} br`);
  console.log(`  ${'total'.padEnd(40)} ${String(raw).padStart(9)} raw ${String(total).padStart(9)} br  (budget ${BUDGET})\n`);
  return total;
}

test(`first visit fits the ${BUDGET}-byte brotli budget`, () => {
  const total = measure();
  assert.ok(total <= BUDGET, `first visit is ${total} bytes brotli, over the ${BUDGET} budget`);
});

test('the catalogue and citizen pages are lazy chunks, not part of the first visit', () => {
  const html = readFileSync(join(DIST, 'index.html'), 'utf8');
  const chunks = readdirSync(DIST).filter(f => /^split_.*\.wasm$/.test(f));
  assert.ok(chunks.some(f => f.includes('catalogue')), `a catalogue chunk: ${chunks}`);
  assert.ok(chunks.some(f => f.includes('citizen')), `a citizen chunk: ${chunks}`);
  // The page strings are a bundle of their own, fetched with the chunks.
  const strings = readdirSync(DIST).filter(f => /^strings-(vi|en)-[0-9a-f]{16}\.txt$/.test(f));
  assert.equal(strings.length, 2, `one strings bundle per language: ${strings}`);
  for (const s of strings) assert.ok(!html.includes(s), `${s} is not preloaded by the shell`);
  for (const c of chunks) assert.ok(!html.includes(c), `${c} is not preloaded by the shell`);
});

// The QR decoder is a Web Worker of its own (qr/), fetched by /scan only in
// browsers without BarcodeDetector: never by the shell, and small on its own.
const WORKER_BUDGET = 40_000; // bytes, brotli: loader + JS glue + wasm

test(`the QR worker is not part of the first visit and fits ${WORKER_BUDGET} bytes brotli`, () => {
  const html = readFileSync(join(DIST, 'index.html'), 'utf8');
  const files = ['qrworker_loader.js', 'qrworker.js', 'qrworker_bg.wasm'];
  let total = 0;
  console.log('\nQR worker bytes (brotli q11), fetched on demand:');
  for (const f of files) {
    assert.ok(existsSync(join(DIST, f)), `dist/${f} exists`);
    assert.ok(!/(src|href)="[^"]*qrworker/.test(html), 'the shell does not load the QR worker');
    const buf = readFileSync(join(DIST, f));
    const b = brotli(buf);
    total += b;
    console.log(`  ${f.padEnd(40)} ${String(buf.length).padStart(9)} raw ${String(b).padStart(9)} br`);
  }
  console.log(`  ${'total'.padEnd(40)} ${''.padStart(9)}     ${String(total).padStart(9)} br  (budget ${WORKER_BUDGET})\n`);
  assert.ok(total <= WORKER_BUDGET, `the QR worker is ${total} bytes brotli, over ${WORKER_BUDGET}`);
});
