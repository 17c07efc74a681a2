#!/usr/bin/env node
// Trunk post_build hook, second of the chain (Trunk.toml), release builds only: makes the
// wasm-bindgen JavaScript glue and the wasm's import names small (issue 14, the first-load budget).
//
// Why: wasm-bindgen names each function the wasm imports from its glue `__wbg_<name>_<16 hex
// digits>` (360-odd of them), and the name is written twice, in the wasm's import section and as a
// key of the glue's imports object. The hex digits are random to a compressor. Each import is renamed
// here to one to three letters, in both files; the glue is then minified by terser (compress and
// mangle; its exports keep their names). Measured: −4.8 KB brotli on the wasm, −5.6 KB on the glue.
// Only names change in the wasm, and the glue is terser's rewrite of the same code.
//
// Every renamed import must appear exactly once in the glue, as a key of its imports object; if a
// later wasm-bindgen writes its glue otherwise, the build fails here and says so, rather than ship a
// page whose wasm cannot link. The glue's `integrity` (on its modulepreload link) is written anew.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { ROOT } from './lib/paths.mjs';
import { walk } from './lib/sizes.mjs';
import { WasmReader, leb, wasmName } from './lib/wasm.mjs';

const dir = process.env.TRUNK_STAGING_DIR;
const fail = (why) => {
  console.error(`shrink-glue.mjs: ${why}`);
  process.exit(1);
};
if (!dir) fail('TRUNK_STAGING_DIR is not set (run it as a Trunk hook)');
if (process.env.TRUNK_PROFILE !== 'release') {
  console.log('shrink-glue.mjs: debug build, left as it is');
  process.exit(0);
}
const wasms = walk(dir).filter((f) => f.endsWith('_bg.wasm'));
if (wasms.length !== 1) fail(`expected one *_bg.wasm in ${dir}, found ${wasms.length}`);
const wasmPath = wasms[0];
const jsPath = wasmPath.replace(/_bg\.wasm$/, '.js');
const htmlPath = join(dir, 'index.html');
if (!existsSync(jsPath)) fail(`no glue ${basename(jsPath)} beside ${basename(wasmPath)}`);
const terser = join(ROOT, 'node_modules/.bin/terser');
if (!existsSync(terser)) fail('node_modules/.bin/terser is missing: run scripts/setup.sh');

const wasmBefore = readFileSync(wasmPath);
const jsBefore = readFileSync(jsPath, 'utf8');
const { bytes, renamed } = renameImports(wasmBefore, (module) => module.endsWith('_bg.js'));
let js = jsBefore;
for (const [old, short] of renamed) {
  const uses = js.split(old).length - 1;
  const key = new RegExp(`^(\\s+)${old}(: function\\()`, 'm');
  if (uses !== 1 || !key.test(js)) {
    fail(`the import ${old} is named ${uses} times in the glue, not once as a key of its imports object: wasm-bindgen's glue changed, update this script`);
  }
  js = js.replace(key, `$1${short}$2`);
}
const renamedJs = `${jsPath}.renamed.mjs`;
writeFileSync(renamedJs, js);
execFileSync(terser, [renamedJs, '--module', '--compress', '--mangle', '-o', jsPath], { stdio: 'inherit' });
rmSync(renamedJs, { force: true });
writeFileSync(wasmPath, bytes);

// The modulepreload link names the glue's hash: write the new one.
const html = readFileSync(htmlPath, 'utf8');
const integrity = `sha384-${createHash('sha384').update(readFileSync(jsPath)).digest('base64')}`;
const link = new RegExp(`(<link[^>]*href="[^"]*${basename(jsPath).replace(/[.]/g, '\\.')}"[^>]*integrity=")[^"]*(")`);
if (/integrity=/.test(html)) {
  if (!link.test(html)) fail(`index.html has an integrity attribute, but not on the link to ${basename(jsPath)}`);
  writeFileSync(htmlPath, html.replace(link, `$1${integrity}$2`));
}
console.log(
  `shrink-glue.mjs: ${renamed.size} imports renamed; wasm ${wasmBefore.length} -> ${bytes.length} B, glue ${Buffer.byteLength(jsBefore)} -> ${readFileSync(jsPath).length} B`,
);

/**
 * The module with every function import of the modules `ours` picks renamed to a short name
 * (a, b, …, Z, ba, …); the mapping, old name → new name. Only the import section changes.
 * @param {Buffer} buf
 * @param {(module: string) => boolean} ours
 * @returns {{ bytes: Buffer, renamed: Map<string, string> }}
 */
function renameImports(buf, ours) {
  const r = new WasmReader(buf);
  const renamed = new Map();
  const parts = [buf.subarray(0, 8)];
  while (!r.done) {
    const start = r.p;
    const id = r.byte();
    const end = r.u32() + r.p;
    if (id !== 2) {
      parts.push(buf.subarray(start, end));
      r.p = end;
      continue;
    }
    const count = r.u32();
    const items = [leb(count)];
    for (let n = 0; n < count; n++) {
      const { module, field, kind, desc } = r.import();
      let name = field;
      if (kind === 0 && ours(module)) {
        if (!renamed.has(field)) renamed.set(field, shortName(renamed.size));
        name = renamed.get(field);
      }
      items.push(wasmName(module), wasmName(name), desc);
    }
    if (r.p !== end) throw new Error('import section length does not match its entries');
    const body = Buffer.concat(items);
    parts.push(Buffer.from([2]), leb(body.length), body);
  }
  return { bytes: Buffer.concat(parts), renamed };
}

/** The `i`-th short name, letters only (a property name: keywords such as `do` are allowed). */
function shortName(i) {
  const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  let s = '';
  do {
    s = letters[i % letters.length] + s;
    i = Math.floor(i / letters.length);
  } while (i > 0);
  return s;
}
