#!/usr/bin/env node
// Trunk post_build hook (before csp.mjs and pwa.mjs): writes one catalog per language,
// locales/<lang>-<hash>.json (a JSON object of key → text), from locales/*.yml, and puts their
// names into the boot script of the staged index.html, which fetches only the shown language's
// file (src/state/i18n.rs). The content hash in the name lets the service worker and the HTTP cache
// keep a file for good. It also writes the pre-drawn first screen into the page's body, inlines the
// stylesheet and makes the wasm wait for that screen to be shown (below).
//
// The source is read by scripts/lib/locales.mjs (a strict subset of YAML, as src/domain/catalog.rs
// reads it); anything outside it fails the build, naming the line.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LANGS, readLocales } from './lib/locales.mjs';

const MARKER = '{"en":"locales/en.json","zh":"locales/zh.json"}';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error('catalog.mjs: TRUNK_STAGING_DIR is not set (run it as a Trunk hook)');
  process.exit(1);
}
const fail = (why) => {
  console.error(`catalog.mjs: ${why}`);
  process.exit(1);
};

let catalogs;
try {
  catalogs = readLocales();
} catch (e) {
  fail(e.message);
}

mkdirSync(join(dir, 'locales'), { recursive: true });
const files = {};
for (const l of LANGS) {
  const sorted = Object.fromEntries(Object.entries(catalogs[l]).sort(([a], [b]) => (a < b ? -1 : 1)));
  const text = JSON.stringify(sorted);
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 16);
  files[l] = `locales/${l}-${hash}.json`;
  writeFileSync(join(dir, files[l]), text);
}
// The first screen before the wasm runs: the header and the first-run guide as App and
// components/{lang_switch,welcome}.rs draw them (same elements and classes, so the same size and
// place), once per language; CSS shows the one in <html lang> (style/main.css, "first screen").
const esc = (t) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const firstScreen = (l) => {
  const t = (key) => {
    const text = catalogs[l][key];
    if (text === undefined || text.includes('%{')) fail(`first screen: ${key} is missing or has a placeholder`);
    return esc(text);
  };
  const step = (title, text) => `<li><strong>${t(title)}</strong>${text}</li>`;
  return (
    `<div class="first-screen" data-lang="${l}" aria-hidden="true">` +
    `<header class="top"><div class="brand"><h1>wan-studio</h1><p class="tagline">${t('app.tagline')}</p></div>` +
    `<div class="lang-switch"><label>${t('lang.label')}</label><select disabled><option>${l === 'zh' ? '中文' : 'English'}</option></select></div></header>` +
    `<main class="layout"><div class="col"><aside class="welcome"><h2>${t('welcome.title')}</h2><p>${t('welcome.intro')}</p><ol class="steps">` +
    step('welcome.step_get_title', t('welcome.step_get')) +
    step('welcome.step_limit_title', t('welcome.step_limit')) +
    step('welcome.step_paste_title', `<button type="button" class="step-action" disabled>${t('welcome.step_paste_button')}</button>`) +
    step('welcome.step_generate_title', '') +
    `</ol><p>${t('welcome.privacy')}</p></aside></div></main></div>`
  );
};
const SCREEN = '<!--first-screen-->';
const page = join(dir, 'index.html');
const html = readFileSync(page, 'utf8');
if (!html.includes(MARKER)) fail(`no ${MARKER} in the boot script of ${page}`);
if (!html.includes(SCREEN)) fail(`no ${SCREEN} in the body of ${page}`);
// The first screen is painted as soon as the page itself has arrived: the stylesheet is inlined
// (its comments left out; csp.mjs allows it by its hash) instead of being a second request the
// first paint waits for. The wasm comes after that paint: Trunk preloads it from the head, where
// its 270 KB would share a slow connection with the page and the catalog before anything is drawn;
// its loader waits for the first screen to be shown (window.wanShown, the boot script's promise).
const STYLESHEET = /<link rel="stylesheet" href="\.\/([^"]+\.css)"[^>]*>/;
const PRELOAD = /<link rel="preload" href="[^"]+_bg\.wasm"[^>]*>\s*/;
const INIT = /\nconst wasm = await init\(/;
const sheet = STYLESHEET.exec(html)?.[1];
if (!sheet) fail(`no stylesheet link in ${page}`);
if (!PRELOAD.test(html)) fail(`no wasm preload link in ${page}`);
if (!INIT.test(html)) fail(`no wasm loader in ${page}`);
const css = readFileSync(join(dir, sheet), 'utf8')
  .replace(/\/\*[\s\S]*?\*\//g, '')
  .replace(/\n\s*\n/g, '\n')
  .trim();
if (/<\/style/i.test(css)) fail(`${sheet} contains "</style"`);
rmSync(join(dir, sheet));
writeFileSync(
  page,
  html
    .replace(MARKER, () => JSON.stringify(files))
    .replace(SCREEN, () => LANGS.map(firstScreen).join(''))
    .replace(STYLESHEET, () => `<style>${css}</style>`)
    .replace(PRELOAD, '')
    .replace(INIT, (m) => `\nawait window.wanShown;${m}`),
);
console.log(`catalog.mjs: ${LANGS.map((l) => `${files[l]} (${Object.keys(catalogs[l]).length} texts)`).join(', ')}`);
