#!/usr/bin/env node
// Size check (run by scripts/test.sh, so by CI, right after the release build): the whole first load
// — every file of the build, each counted once at brotli -q 11: the page, its script, wasm and
// stylesheet, the manifest and icon, the service worker (which caches the same files from the
// HTTP cache instead of downloading them again), the shipped config.json and the largest language
// catalog (a page loads one) — against
//
//   - the budget: 200,000 B (issue 14). Over it, the check fails;
//   - the recorded size (benches/first-load.json): growing more than 10 % over it fails too, so
//     that a big jump is a decision written down with its reason.
//
// While the build is still over the budget (issue 14 is taking it there in steps), nothing may grow:
// the check fails more than 1,000 B above the recorded size (room for a refactor's few bytes and
// brotli's noise, never cumulative), and a new size can be recorded only when it is smaller. The
// one exception is a part an issue itself requires (e.g. issue 14's IndexedDB ledger through a
// maintained crate): `--raise "issue N: what and why"` records it, and every raise stays listed in
// the record and is printed by every check until the build is under the budget.
//
//   node scripts/size-check.mjs [dist]                    check
//   node scripts/size-check.mjs [dist] --record "why"     record the current size on purpose
//   node scripts/size-check.mjs [dist] --raise "issue N: why"   over the budget, record a required growth
//
// The benchmark (scripts/bench.mjs) measures what a browser really transfers on a first visit.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT } from './lib/paths.mjs';
import { brotli as compress, fmtBytes as fmt, walk } from './lib/sizes.mjs';

/** The whole first load's budget, brotli -q 11 (issue 14). */
export const BUDGET = 200_000;
const RECORD = join(ROOT, 'benches/first-load.json');
const TOLERANCE = 1.1;
/** Over the budget: how far above the (only ever shrinking) record a build may be. */
const SLACK = 1_000;

const { values, positionals } = parseArgs({ options: { record: { type: 'string' }, raise: { type: 'string' } }, allowPositionals: true });
const dist = resolve(positionals[0] ?? join(ROOT, 'dist'));

let paths;
try {
  paths = walk(dist);
} catch (e) {
  console.error(`size-check: cannot read ${dist} (${e.message}); build first (scripts/build.sh)`);
  process.exit(1);
}
if (paths.filter((f) => f.endsWith('.wasm')).length !== 1) {
  console.error(`size-check: expected exactly one .wasm in ${dist}; build first (scripts/build.sh)`);
  process.exit(1);
}
// Trunk's content hash is left out of the names, so that records compare across builds.
const files = Object.fromEntries(
  paths.map((f) => [relative(dist, f).split('\\').join('/').replace(/-[0-9a-f]{8,16}/, ''), compress(readFileSync(f)).length]),
);
// A page loads the words of one language (locales/<lang>.json; src/state/i18n.rs): the largest
// counts, the others are listed but not added.
const catalogs = Object.keys(files).filter((f) => /^locales\/[a-z]+\.json$/.test(f));
const counted = catalogs.sort((a, b) => files[b] - files[a]).slice(1);
const total = Object.entries(files)
  .filter(([f]) => !counted.includes(f))
  .reduce((a, [, n]) => a + n, 0);
const wasm = Object.entries(files).find(([f]) => f.endsWith('.wasm'))[1];

let recorded = null;
try {
  recorded = JSON.parse(readFileSync(RECORD, 'utf8'));
} catch (e) {
  if (values.record === undefined) {
    console.error(`size-check: cannot read ${relative(ROOT, RECORD)} (${e.message}); create it with --record "why"`);
    process.exit(1);
  }
}
const base = recorded ? Number(recorded.first_load_brotli_bytes) : null;

if (values.record !== undefined || values.raise !== undefined) {
  const raise = values.raise !== undefined;
  const why = (values.raise ?? values.record).trim();
  if (!why) {
    console.error('size-check: --record needs the reason, e.g. --record "history gallery"');
    process.exit(1);
  }
  if (raise && !/^issue \d+: \S/.test(why)) {
    console.error('size-check: --raise needs the issue that requires the bytes, e.g. --raise "issue 14: the IndexedDB ledger"');
    process.exit(1);
  }
  if (!raise && total > BUDGET && base !== null && total > base) {
    console.error(
      `size-check: refused: the first load (${fmt(total)}) is over the ${fmt(BUDGET)} budget and larger than the recorded ${fmt(base)}.\n` +
        'Over the budget only a smaller size can be recorded: make room first.',
    );
    process.exit(1);
  }
  const today = new Date().toISOString().slice(0, 10);
  // Raises stay on record until the build is under the budget.
  const raises = total > BUDGET ? [...(recorded?.raises ?? [])] : [];
  if (raise && base !== null && total > base) raises.push({ date: today, from: base, to: total, why });
  const entry = { first_load_brotli_bytes: total, wasm_brotli_bytes: wasm, budget_brotli_bytes: BUDGET, files, recorded: today, why, ...(raises.length ? { raises } : {}) };
  writeFileSync(RECORD, `${JSON.stringify(entry, null, 2)}\n`);
  console.log(`size-check: recorded ${fmt(total)} (whole first load, brotli -q 11; wasm ${fmt(wasm)}) in ${relative(ROOT, RECORD)}`);
  process.exit(0);
}

const width = Math.max(...Object.keys(files).map((f) => f.length));
for (const [f, n] of Object.entries(files).sort((a, b) => b[1] - a[1])) {
  const was = recorded?.files?.[f];
  const diff = was === undefined ? ' (new)' : n === was ? '' : ` (${n > was ? '+' : ''}${(n - was).toLocaleString('en-US')})`;
  console.log(`  ${f.padEnd(width)}  ${fmt(n).padStart(11)}${diff}${counted.includes(f) ? '  (not counted: one language per page)' : ''}`);
}
// The recorded size is still over the budget: no growth at all until it is under.
const over = base > BUDGET;
const limit = over ? base + SLACK : Math.min(BUDGET, Math.floor(base * TOLERANCE));
const change = ((total / base - 1) * 100).toFixed(1);
console.log(`whole first load, brotli -q 11: ${fmt(total)}   budget: ${fmt(BUDGET)} (${((100 * total) / BUDGET).toFixed(0)} % of it)`);
console.log(`recorded in ${relative(ROOT, RECORD)}: ${fmt(base)} (${recorded.recorded}: ${recorded.why})`);
for (const r of recorded.raises ?? []) console.log(`  raised over the budget on ${r.date}: ${fmt(r.from)} → ${fmt(r.to)} (${r.why})`);
console.log(`change: ${change > 0 ? '+' : ''}${change} %   limit: ${fmt(limit)}${over ? ' (over the budget: the record + 1,000 B)' : ''}`);
if (total > limit) {
  console.error(
    over
      ? `size-check: FAILED: the first load is over the ${fmt(BUDGET)} budget and grew more than ${fmt(SLACK)} over the recorded ${fmt(base)}.\n` +
          'Make room before adding bytes (twiggy top on the wasm; scripts/sizes.mjs dist).'
      : total > BUDGET
        ? `size-check: FAILED: the first load is over the ${fmt(BUDGET)} budget.`
        : `size-check: FAILED: the first load grew ${change} % over the recorded size (limit +10 %).\n` +
          `If a feature needs the bytes, record the new size on purpose and commit it with the feature:\n  node scripts/size-check.mjs --record "<why it grew>"`,
  );
  process.exit(1);
}
console.log(total > BUDGET ? `size-check: ok (within the record; ${fmt(total - BUDGET)} still to cut for the budget)` : 'size-check: ok');
