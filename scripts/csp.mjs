#!/usr/bin/env node
// Trunk post_build hook: fills the Content-Security-Policy in the staged index.html with the
// sha256 hashes of its inline scripts (Trunk writes a small inline module that loads the wasm, and
// its text changes with every build's file hashes) and of its inline stylesheet, so the policy
// needs no 'unsafe-inline'.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error('csp.mjs: TRUNK_STAGING_DIR is not set (run it as a Trunk hook)');
  process.exit(1);
}
const file = join(dir, 'index.html');
const html = readFileSync(file, 'utf8');
const PLACEHOLDER = "'inline-script-hashes'";
const STYLE_PLACEHOLDER = "'inline-style-hashes'";
for (const p of [PLACEHOLDER, STYLE_PLACEHOLDER]) {
  if (!html.includes(p)) {
    console.error(`csp.mjs: no ${p} placeholder in ${file}`);
    process.exit(1);
  }
}
// `trunk serve` (debug) rewrites its live-reload script after this hook runs, so a hash would not
// match: development builds go without the policy; release builds (what is hosted and tested) keep it.
if (process.env.TRUNK_PROFILE !== 'release') {
  writeFileSync(file, html.replace(/<meta\s+http-equiv="Content-Security-Policy"[\s\S]*?\/>\s*/, ''));
  console.log('csp.mjs: debug build, Content-Security-Policy left out (release builds have it)');
  process.exit(0);
}
const hash = (m) => `'sha256-${createHash('sha256').update(m[1], 'utf8').digest('base64')}'`;
const hashes = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map(hash);
// The stylesheet, inlined by catalog.mjs.
const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map(hash);
writeFileSync(file, html.replace(PLACEHOLDER, () => hashes.join(' ')).replace(STYLE_PLACEHOLDER, () => styles.join(' ')));
console.log(`csp.mjs: ${hashes.length} inline script and ${styles.length} style hash(es) added to the CSP`);
