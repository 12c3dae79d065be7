// Minifies the staged stylesheet in place (run by scripts/split-wasm.sh):
// comments and layout whitespace only, nothing that can change a rule.
// Every first visit downloads it, so its bytes count against the budget.
import { readFileSync, writeFileSync } from 'node:fs';

for (const file of process.argv.slice(2)) {
  const css = readFileSync(file, 'utf8');
  if (/["'][^"'\n]*\/\*/.test(css)) throw new Error(`${file}: "/*" inside a string; minify-css would break it`);
  const out = css
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([{};,])\s*/g, '$1')
    .replace(/:\s+/g, ':')
    .replace(/;}/g, '}')
    .trim();
  writeFileSync(file, out + '\n');
  console.log(`minify-css: ${file.split('/').pop()} ${css.length} → ${out.length} bytes`);
}
