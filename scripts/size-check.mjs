#!/usr/bin/env node
// Size check (run by scripts/test.sh after the release build): fails when the brotli -q 11 size of
// the release wasm grows more than 10 % over the number recorded in benches/wasm-size.json.
//
//   node scripts/size-check.mjs [dist]                    check
//   node scripts/size-check.mjs [dist] --record "why"     record the current size on purpose
//
// Growing past the limit is allowed when a feature needs it: record the new number with the reason,
// and commit benches/wasm-size.json with the feature.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT } from './lib/paths.mjs';
import { brotli as compress, fmtBytes as fmt } from './lib/sizes.mjs';

const RECORD = join(ROOT, 'benches/wasm-size.json');
const TOLERANCE = 1.1;

const { values, positionals } = parseArgs({ options: { record: { type: 'string' } }, allowPositionals: true });
const dist = resolve(positionals[0] ?? join(ROOT, 'dist'));

const wasm = readdirSync(dist).filter((f) => f.endsWith('.wasm'));
if (wasm.length !== 1) {
  console.error(`size-check: expected exactly one .wasm in ${dist}, found ${wasm.length ? wasm.join(', ') : 'none'}; build first (trunk build --release --offline)`);
  process.exit(1);
}
const buf = readFileSync(join(dist, wasm[0]));
const brotli = compress(buf).length;
const how = `node scripts/size-check.mjs --record "<why it grew>"`;

if (values.record !== undefined) {
  const why = values.record.trim();
  if (!why) {
    console.error('size-check: --record needs the reason, e.g. --record "history gallery"');
    process.exit(1);
  }
  const entry = { wasm_brotli_bytes: brotli, wasm_raw_bytes: buf.length, recorded: new Date().toISOString().slice(0, 10), why };
  writeFileSync(RECORD, `${JSON.stringify(entry, null, 2)}\n`);
  console.log(`size-check: recorded ${fmt(brotli)} (brotli -q 11; raw ${fmt(buf.length)}) in ${relative(ROOT, RECORD)}`);
  process.exit(0);
}

let recorded;
try {
  recorded = JSON.parse(readFileSync(RECORD, 'utf8'));
} catch (e) {
  console.error(`size-check: cannot read ${relative(ROOT, RECORD)} (${e.message}); create it with: ${how}`);
  process.exit(1);
}
const base = Number(recorded.wasm_brotli_bytes);
const limit = Math.floor(base * TOLERANCE);
const change = ((brotli / base - 1) * 100).toFixed(1);
console.log(`release wasm (${wasm[0]}), brotli -q 11: ${fmt(brotli)}   raw: ${fmt(buf.length)}`);
console.log(`recorded in ${relative(ROOT, RECORD)}: ${fmt(base)} (${recorded.recorded}: ${recorded.why})`);
console.log(`change: ${change > 0 ? '+' : ''}${change} %   limit (+10 %): ${fmt(limit)}`);
if (brotli > limit) {
  console.error(
    `size-check: FAILED: the wasm grew ${change} % over the recorded size (limit +10 %).\n` +
      `If a feature needs the bytes, record the new size on purpose and commit it with the feature:\n  ${how}\n` +
      `otherwise find what grew (e.g. twiggy top / twiggy diff on the wasm).`,
  );
  process.exit(1);
}
console.log('size-check: ok');
