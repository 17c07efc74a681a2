#!/usr/bin/env node
// Single-file build: turns the release build (dist/, from `scripts/build.sh`) into one
// self-contained HTML file that works when opened straight from disk (file://).
//
//   node scripts/single-file.mjs [distDir=dist] [out=dist-single/wan-studio.html]
//   (= npm run single-file)
//
// What it does to dist/index.html:
// - the stylesheet <link>s become <style> blocks (their text verbatim);
// - the modulepreload/preload/manifest <link>s go, and so does every `integrity` attribute;
// - Trunk's inline loader module (`import init, * as bindings from './wan-studio-<hash>.js'; const wasm =
//   await init({ module_or_path: './…_bg.wasm' }); …`) is replaced by one inline module holding
//   1. the wasm-bindgen JS glue itself, wrapped in a function whose `export`s become a returned object
//      (so no second module, no blob:/data: import, no 'unsafe-eval': the module needs only one hash),
//   2. the wasm as a base64 string, decoded to bytes and passed to init() as `module_or_path` (the
//      glue's __wbg_init instantiates a BufferSource with WebAssembly.instantiate: no fetch),
//   3. the rest of Trunk's loader unchanged (window.wasmBindings, the TrunkApplicationStarted event);
// - index.html's classic boot script (theme and language before the first paint) stays as it is, but
//   for its map of language catalogs, whose files become data: URLs;
// - the Content-Security-Policy is rewritten for a page with no files of its own: default-src 'none',
//   script-src 'wasm-unsafe-eval' + the sha256 of each inline script (the boot script, in document
//   order, and that one inline module), style-src the sha256 of each
//   <style> block; img/media/connect sources as in the release build but without 'self' (a file://
//   page's "own files" would be any file on the disk) and without the dev-only ws: source.
//
// The output depends only on the input files (no dates, no randomness): the same dist/ gives the same
// bytes. Fails loudly on anything it does not understand (an unknown export form, a static import such
// as a wasm-bindgen snippet, a CSS url() or @import, "<!--" inside the script) rather than write a file
// that breaks in the browser.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';

const distDir = resolve(process.argv[2] ?? 'dist');
const outFile = resolve(process.argv[3] ?? 'dist-single/wan-studio.html');

function fail(message) {
  console.error(`single-file: ${message}`);
  process.exit(1);
}

const sha256 = (text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** Reads a file the page references with a relative URL such as "./main-<hash>.css". */
function readAsset(href, encoding) {
  if (!/^(\.\/)?[A-Za-z0-9._-]+$/.test(href)) fail(`unexpected asset URL ${JSON.stringify(href)} (expected ./name in ${distDir})`);
  const path = join(distDir, href.replace(/^\.\//, ''));
  if (!existsSync(path)) fail(`${path} is missing (is ${distDir} a complete release build?)`);
  return readFileSync(path, encoding);
}

const attr = (tag, name) => tag.match(new RegExp(`\\b${name}\\s*=\\s*("([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i'))?.slice(2).find((v) => v !== undefined);

const indexPath = join(distDir, 'index.html');
if (!existsSync(indexPath)) fail(`${indexPath} is missing: build first (scripts/build.sh)`);
let html = readFileSync(indexPath, 'utf8');

const CSP_META = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"\s*\/?>/i;
const cspMatch = html.match(CSP_META);
if (!cspMatch) fail(`no Content-Security-Policy meta in ${indexPath}: use a release build (scripts/build.sh)`);
if (cspMatch[1].includes("'inline-script-hashes'")) fail(`the CSP in ${indexPath} still has its placeholder (scripts/csp.mjs did not run)`);

// --- 0. The language catalogs → data: URLs -----------------------------------------------------------
// The boot script fetches the shown language's words by the names scripts/catalog.mjs gave them; here
// each name becomes a data: URL holding that file (connect-src allows data: below, nothing else new).
const CATALOGS = /var catalogs = (\{[^}\n]*\});/;
const named = html.match(CATALOGS);
if (!named) fail(`no "var catalogs = {…};" map in the boot script of ${indexPath} (scripts/catalog.mjs did not run?)`);
const inlined = Object.fromEntries(
  Object.entries(JSON.parse(named[1])).map(([lang, file]) => {
    if (!/^locales\/[a-z]+-[0-9a-f]{16}\.json$/.test(file)) fail(`unexpected catalog name ${JSON.stringify(file)}`);
    const path = join(distDir, file);
    if (!existsSync(path)) fail(`${path} is missing (is ${distDir} a complete release build?)`);
    return [lang, `data:application/json;base64,${readFileSync(path).toString('base64')}`];
  }),
);
html = html.replace(named[0], () => `var catalogs = ${JSON.stringify(inlined)};`);

// --- 1. Stylesheets → <style> -------------------------------------------------------------------
const styles = [];
html = html.replace(/<link\b[^>]*>/gi, (tag) => {
  const rel = (attr(tag, 'rel') ?? '').toLowerCase();
  // The web app manifest (and its service worker) belong to hosted copies; a file has no origin to
  // install, and fetching a file:// manifest is refused.
  if (rel === 'modulepreload' || rel === 'preload' || rel === 'manifest') return '';
  if (rel !== 'stylesheet') return tag;
  const href = attr(tag, 'href');
  const css = readAsset(href, 'utf8');
  if (/<\/style/i.test(css)) fail(`${href} contains "</style"`);
  if (/@import\b/i.test(css)) fail(`${href} has an @import, which a single file cannot follow`);
  for (const m of css.matchAll(/url\(\s*(['"]?)([^'")]*)\1\s*\)/gi)) {
    if (!/^(data:|#)/i.test(m[2])) fail(`${href} references ${m[2]}, which a single file cannot follow`);
  }
  styles.push(css);
  return `<style>${css}</style>`;
});

// --- 2. The loader module → glue + wasm + loader ---------------------------------------------------
const LOADER = /<script type="module"(?:\s+nonce="[^"]*")?>([\s\S]*?)<\/script>/g;
const loaders = [...html.matchAll(LOADER)].filter((m) => /import init, \* as bindings from/.test(m[1]));
if (loaders.length !== 1) fail(`expected one Trunk loader module in ${indexPath}, found ${loaders.length}`);
const loader = loaders[0][1];
const importLine = loader.match(/^[ \t]*import init, \* as bindings from '([^']+\.js)';[ \t]*\r?\n/m);
if (!importLine) fail('the loader does not import its glue the way Trunk 0.21 does');
const wasmArg = loader.match(/module_or_path:\s*'([^']+\.wasm)'/);
if (!wasmArg) fail('the loader does not pass its wasm the way Trunk 0.21 does ({ module_or_path: \'./….wasm\' })');

const glueName = importLine[1];
const glue = readAsset(glueName, 'utf8');
const wasmBytes = readAsset(wasmArg[1]);
if (wasmBytes.subarray(0, 4).toString('latin1') !== '\0asm') fail(`${wasmArg[1]} is not WebAssembly`);

// The glue's exports become entries of the object its wrapper function returns. The release glue
// is minified (scripts/shrink-glue.mjs): an export statement may follow others on the same line.
const exported = new Map(); // exported name → local name
const AT = String.raw`(^|[;}\s])`;
let localGlue = glue.replace(
  new RegExp(`${AT}export\\s+((?:async\\s+)?function\\s*\\*?|class|const|let|var)\\s+([A-Za-z_$][\\w$]*)`, 'gm'),
  (_, before, kind, name) => {
    exported.set(name, name);
    return `${before}${kind} ${name}`;
  },
);
localGlue = localGlue.replace(new RegExp(`${AT}export\\s*\\{([^}]*)\\};?`, 'gm'), (_, before, list) => {
  for (const spec of list.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = spec.match(/^([A-Za-z_$][\w$]*)(?:\s+as\s+([A-Za-z_$][\w$]*))?$/);
    if (!m) fail(`${glueName}: cannot handle the export specifier ${JSON.stringify(spec)}`);
    exported.set(m[2] ?? m[1], m[1]);
  }
  return before;
});
if (/^\s*import\s*(?:[\w$*{]|['"])/m.test(localGlue)) {
  fail(`${glueName} imports other modules (wasm-bindgen snippets?), which this script does not inline`);
}
if (/\bimport\s*\(/.test(localGlue)) fail(`${glueName} uses a dynamic import(), which a single file cannot follow`);
if (new RegExp(`${AT}export\\b`, 'm').test(localGlue)) fail(`${glueName}: an export statement was left over`);
if (!exported.has('default') || !exported.has('initSync')) {
  fail(`${glueName}: it does not export initSync and a default init function (wasm-bindgen changed?)`);
}

const exportEntries = [...exported]
  .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  .map(([name, local]) => (name === local ? `    ${name},` : `    ${name}: ${local},`))
  .join('\n');

const loaderRest = loader
  .replace(importLine[0], '')
  .replace(wasmArg[0], 'module_or_path: wasmBytes');

const module = `
// wan-studio single-file build (scripts/single-file.mjs). The wasm-bindgen glue ${glueName}, its
// exports returned as an object instead of exported, then the wasm (base64), then Trunk's loader.
const bindings = Object.freeze((() => {
${localGlue.trimEnd()}

  return {
${exportEntries}
  };
})());
const init = bindings.default;
const WASM_BASE64 = "${wasmBytes.toString('base64')}";
const wasmBytes = typeof Uint8Array.fromBase64 === 'function'
  ? Uint8Array.fromBase64(WASM_BASE64)
  : Uint8Array.from(atob(WASM_BASE64), (c) => c.charCodeAt(0));
${loaderRest.trim()}
`;

if (/<!--/.test(module)) fail('the script contains "<!--", which changes how HTML parses it');
const moduleText = module.replace(/<\/script/gi, '<\\/script');

// Syntax check of the module as JavaScript (node --check), so a bad rewrite fails here, not in the browser.
const checkDir = mkdtempSync(join(tmpdir(), 'wan-studio-single-'));
try {
  const checkFile = join(checkDir, 'loader.mjs');
  writeFileSync(checkFile, moduleText);
  const check = spawnSync(process.execPath, ['--check', checkFile], { encoding: 'utf8' });
  if (check.status !== 0) fail(`the generated module does not parse:\n${check.stderr.slice(0, 2000)}`);
} finally {
  rmSync(checkDir, { recursive: true, force: true });
}

html = html.replace(loaders[0][0], () => `<script type="module">${moduleText}</script>`);

// --- 3. No integrity attributes (nothing is fetched any more) ------------------------------------------
html = html.replace(/\s+integrity\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi, '');
html = html.replace(/\n[ \t]*\n(?=<script type="module">)/, '\n');
html = html.replace(/<\/script>\s*<\/head>/, '</script>\n  </head>');

// --- 4. Content-Security-Policy ---------------------------------------------------------------------
const scriptHashes = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi)].map((m) => sha256(m[1]));
const styleHashes = [...html.matchAll(/<style[^>]*>([\s\S]*?)<\/style>/gi)].map((m) => sha256(m[1]));
// The loader module plus index.html's classic boot script(s); never a second module.
if ([...html.matchAll(/<script\b[^>]*\btype="module"/gi)].length !== 1) fail('expected exactly one inline module script');
if (/<script\b[^>]*\bsrc=/i.test(html)) fail('a <script src> is left');
if (/<link\b[^>]*\brel=["']?(stylesheet|modulepreload|preload)/i.test(html)) fail('a stylesheet or preload <link> is left');

const original = new Map(
  cspMatch[1]
    .split(';')
    .map((d) => d.trim().split(/\s+/))
    .filter((d) => d[0])
    .map(([name, ...values]) => [name.toLowerCase(), values]),
);
// Sources of the release policy kept as they are, minus 'self' (no file of this page's own is ever
// loaded, and from file:// 'self' would mean other files on the disk) and minus ws: (trunk serve only),
// except as said below.
const keep = (name) => (original.get(name) ?? []).filter((v) => v !== "'self'" && !/^wss?:/i.test(v));
const directives = [
  ['default-src', ["'none'"]],
  ['script-src', ["'wasm-unsafe-eval'", ...scriptHashes]],
  ['style-src', styleHashes.length ? styleHashes : ["'none'"]],
  ['img-src', keep('img-src')],
  ['media-src', keep('media-src')],
  // connect-src keeps 'self' for one reason: the app looks for the team config.json beside the page.
  // From file:// Chromium refuses that fetch anyway ("URL scheme "file" is not supported"), but without
  // 'self' it is first reported as a CSP violation on every load.
  // data: for the language catalogs inlined above.
  ['connect-src', [...(original.get('connect-src')?.includes("'self'") ? ["'self'"] : []), 'data:', ...keep('connect-src')]],
  ['object-src', ["'none'"]],
  ['base-uri', ["'none'"]],
  ['form-action', ["'none'"]],
];
const csp = directives.map(([name, values]) => `${name} ${(values.length ? values : ["'none'"]).join(' ')}`).join('; ');

html = html.replace(
  /(<!--(?:(?!-->)[\s\S])*-->\s*)?(<meta\s+http-equiv="Content-Security-Policy"\s+content=")[^"]*("\s*\/?>)/i,
  (_, _comment, start, end) =>
    '<!-- Single-file build (scripts/single-file.mjs): everything is inline, so the policy allows no file\n' +
    '         at all, only the hashes of the inline scripts and the style block, and the wasm. -->\n    ' +
    `${start}${csp}${end}`,
);
if (html.match(CSP_META)?.[1] !== csp) fail('could not rewrite the Content-Security-Policy');

// --- 5. Write it ---------------------------------------------------------------------------------
mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, html);
const size = Buffer.byteLength(html);
const shown = relative(process.cwd(), outFile) || outFile;
console.log(
  `single-file: wrote ${shown.startsWith('..') ? outFile : shown} (${size.toLocaleString('en-US')} bytes: ` +
    `wasm ${wasmBytes.length.toLocaleString('en-US')} B as base64, glue ${Buffer.byteLength(glue).toLocaleString('en-US')} B, ` +
    `${styles.length} stylesheet(s) inlined)`,
);
