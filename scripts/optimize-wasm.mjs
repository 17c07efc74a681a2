#!/usr/bin/env node
// Trunk post_build hook, first of the chain (Trunk.toml): runs wasm-opt (binaryen 132 from
// node_modules, never Debian's) on the release wasm, in place of Trunk's own run (index.html says
// `data-wasm-opt="0"`), so that the functions can be put in an order that compresses better.
//
// Why: brotli finds more and nearer repeats when functions that look alike sit side by side, and a
// Leptos wasm is made of thousands of near-copies (one per type a generic is used with: drop glue,
// view builders, signal accessors). wasm-opt keeps the linker's order, or sorts by name
// (`--reorder-functions-by-name`); neither puts look-alikes together. So, before optimising, each
// function's name is replaced by a sort key that starts with the first bytes of its body (its locals
// and first instructions), then its old name; wasm-opt sorts by those names after optimising, and
// writes no names (the shipped wasm never had them). Measured (issue 14): −5.1 KB brotli (−2 %) for
// the same code; the key's length (8 to 100 000 bytes) moved it by less than 0.8 KB, 24 was best.
// Only the names change here: the code is wasm-opt's, from the same passes Trunk ran.
//
// The passes (were `data-wasm-opt-params` in index.html):
// - `-Os --converge`: smaller once compressed than `-Oz` (measured: 1.5 KB brotli).
// - `--remove-exports` of the JavaScript stream adapters that wasm-streams (a dependency of
//   Leptos' server functions, which this app has none of) exports from every Leptos wasm: an export
//   is never dead code to the compiler, so without this its code stays.
// - `--one-caller-inline-max-function-size=30`: a function called from one place is inlined only
//   when small; merged into its caller, a large one no longer compresses like its kin (2.3 KB).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './lib/paths.mjs';
import { walk } from './lib/sizes.mjs';
import { WasmReader, leb, wasmName } from './lib/wasm.mjs';

/** Leading body bytes in each function's sort key (measured best, see above). */
const KEY_BYTES = 24;
const FEATURES = [
  '--enable-bulk-memory',
  '--enable-nontrapping-float-to-int',
  '--enable-sign-ext',
  '--enable-mutable-globals',
  '--enable-reference-types',
  '--enable-multivalue',
];
const PASSES = [
  '-Os',
  '--remove-exports',
  '--pass-arg=remove-exports@*intounderlying*',
  '--one-caller-inline-max-function-size=30',
  '--converge',
  '--reorder-functions-by-name',
];

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error('optimize-wasm.mjs: TRUNK_STAGING_DIR is not set (run it as a Trunk hook)');
  process.exit(1);
}
if (process.env.TRUNK_PROFILE !== 'release') {
  console.log('optimize-wasm.mjs: debug build, not optimised');
  process.exit(0);
}
const wasms = walk(dir).filter((f) => f.endsWith('_bg.wasm'));
if (wasms.length !== 1) {
  console.error(`optimize-wasm.mjs: expected one *_bg.wasm in ${dir}, found ${wasms.length}`);
  process.exit(1);
}
const path = wasms[0];
const before = readFileSync(path);
const { bytes, keyed } = withSortKeys(before);
if (!keyed) console.warn('optimize-wasm.mjs: warning: the wasm has no function names; optimising in the linker\'s order');
const input = `${path}.keyed`;
writeFileSync(input, bytes);
const wasmOpt = join(ROOT, 'node_modules/.bin/wasm-opt');
if (!existsSync(wasmOpt)) {
  console.error('optimize-wasm.mjs: node_modules/.bin/wasm-opt is missing (binaryen 132 from npm): run scripts/setup.sh');
  process.exit(1);
}
execFileSync(wasmOpt, [...FEATURES, ...PASSES, input, '-o', `${path}.opt`], { stdio: 'inherit' });
renameSync(`${path}.opt`, path);
rmSync(input);
console.log(`optimize-wasm.mjs: ${before.length} -> ${readFileSync(path).length} B`);

/**
 * The module with each named function renamed to its sort key: KEY_BYTES of its body in hex, then
 * its old name (unique, so no two keys are equal). Only the custom "name" section changes.
 * @param {Buffer} buf
 * @returns {{ bytes: Buffer, keyed: boolean }}
 */
function withSortKeys(buf) {
  const r = new WasmReader(buf);
  let imported = 0;
  const bodies = [];
  let names = null;
  while (!r.done) {
    const start = r.p;
    const id = r.byte();
    const end = r.u32() + r.p;
    if (id === 2) {
      for (let n = r.u32(); n > 0; n--) if (r.import().kind === 0) imported++;
    } else if (id === 10) {
      for (let n = r.u32(); n > 0; n--) {
        const size = r.u32();
        bodies.push(buf.subarray(r.p, r.p + size));
        r.p += size;
      }
    } else if (id === 0) {
      if (r.name() === 'name') names = { start, end, at: r.p };
    }
    r.p = end;
  }
  if (!names) return { bytes: buf, keyed: false };

  const out = [];
  let keyed = false;
  r.p = names.at;
  while (r.p < names.end) {
    const subStart = r.p;
    const sub = r.byte();
    const subEnd = r.u32() + r.p;
    if (sub === 1) {
      const entries = [];
      for (let n = r.u32(); n > 0; n--) {
        const index = r.u32();
        const name = r.name();
        const code = bodies[index - imported];
        entries.push([index, code ? `${code.subarray(0, KEY_BYTES).toString('hex')} ${name}` : name]);
      }
      const parts = [leb(entries.length)];
      for (const [index, key] of entries) parts.push(leb(index), wasmName(key));
      const map = Buffer.concat(parts);
      out.push(Buffer.from([1]), leb(map.length), map);
      keyed = entries.length > 0;
    } else {
      out.push(buf.subarray(subStart, subEnd));
    }
    r.p = subEnd;
  }
  const section = Buffer.concat([wasmName('name'), ...out]);
  return {
    bytes: Buffer.concat([buf.subarray(0, names.start), Buffer.from([0]), leb(section.length), section, buf.subarray(names.end)]),
    keyed,
  };
}
