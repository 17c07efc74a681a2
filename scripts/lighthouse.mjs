#!/usr/bin/env node
// Lighthouse scores of a release build (performance, accessibility, best practices, SEO), with the
// mobile (default) and the desktop preset:
//
//   node scripts/lighthouse.mjs [distDir=dist] [--runs N] [--report DIR]      (= npm run lighthouse)
//
// Serves distDir on 127.0.0.1 (an ephemeral port) the way a static host would (scripts/lib/static-server.mjs
// in host mode: the right content types (application/wasm…), brotli or gzip as the browser asks, and
// long-lived caching for Trunk's content-hashed files); runs Lighthouse through its node API in Debian's
// headless Chromium (scripts/lib/chromium.mjs: /usr/bin/chromium, or $CHROMIUM_BIN / $CHROME_PATH, with
// the project's flags; a fresh temporary profile, killed at the end); prints a table of
// the four scores (0–100) per preset and, under it, the audits that keep a score below 100.
// --runs N runs each preset N times and reports the run with the median performance score (the
// CPU-bound metrics, TBT above all, move with the machine's load; Lighthouse's benchmarkIndex is
// printed with them). --report DIR also writes each reported run as DIR/<preset>.html and .json.
//
// Scores are printed, never asserted: the exit code is non-zero only when Lighthouse could not run
// (no build, Chromium would not start, the page did not load, a category could not be scored).
// Everything stays on 127.0.0.1: Chromium resolves every other host to NOTFOUND.
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';
import { CHROMIUM, CHROMIUM_ARGS } from './lib/chromium.mjs';
import { startStaticServer } from './lib/static-server.mjs';

const { values: opt, positionals } = parseArgs({
  options: { report: { type: 'string' }, runs: { type: 'string', default: '1' } },
  allowPositionals: true,
});
const distDir = resolve(positionals[0] ?? 'dist');
const RUNS = Number(opt.runs);
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'];
const METRICS = {
  FCP: 'first-contentful-paint',
  LCP: 'largest-contentful-paint',
  TBT: 'total-blocking-time',
  CLS: 'cumulative-layout-shift',
  SI: 'speed-index',
};
const PRESETS = [
  ['mobile', undefined], // Lighthouse's default config: a mid-range phone on slow 4G (simulated)
  ['desktop', desktopConfig],
];

/** A reason Lighthouse cannot run that needs no stack trace. */
class CannotRun extends Error {}

// --- Lighthouse -------------------------------------------------------------------------------------
/** The audits that cost a category points: weighted, scored, below 1. */
function failing(lhr, category) {
  return lhr.categories[category].auditRefs
    .filter((ref) => ref.weight > 0)
    .map((ref) => lhr.audits[ref.id])
    .filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode !== 'informative' && a.scoreDisplayMode !== 'manual')
    .map((a) => `${a.title}${a.displayValue ? ` (${a.displayValue})` : ''} [${a.id}${a.scoreDisplayMode === 'numeric' ? ` ${Math.round(a.score * 100)}` : ''}]`);
}

let server;
let chrome;
let userDataDir;
const cleanUp = () => {
  // Only the Chromium this script launched (chrome-launcher kills its process group), then its profile.
  try {
    chrome?.kill();
  } catch {}
  chrome = undefined;
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true, maxRetries: 5 });
  userDataDir = undefined;
  server?.close();
};
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    cleanUp();
    process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
  });
}

try {
  if (!Number.isInteger(RUNS) || RUNS < 1) throw new CannotRun(`--runs must be a whole number ≥ 1, not ${opt.runs}`);
  try {
    if (!statSync(join(distDir, 'index.html')).isFile()) throw new Error();
  } catch {
    throw new CannotRun(`${distDir}/index.html is missing: build first (scripts/build.sh)`);
  }
  // Like a static host: precompressed brotli/gzip, long-lived caching of the content-hashed files.
  server = await startStaticServer(distDir, { host: true });
  const url = `${server.url}/`;
  userDataDir = mkdtempSync(join(tmpdir(), 'wan-studio-lighthouse-'));
  chrome = await chromeLauncher.launch({
    chromePath: CHROMIUM,
    chromeFlags: CHROMIUM_ARGS,
    userDataDir,
    logLevel: 'silent',
    handleSIGINT: false,
  });
  console.log(`lighthouse: ${url} (${distDir}), Chromium ${CHROMIUM}`);

  const rows = [];
  for (const [preset, config] of PRESETS) {
    const runs = [];
    for (let run = 0; run < RUNS; run++) {
      const result = await lighthouse(
        url,
        { port: chrome.port, logLevel: 'error', output: ['html', 'json'], onlyCategories: CATEGORIES },
        config,
      );
      if (!result?.lhr) throw new CannotRun(`${preset}: Lighthouse returned no result`);
      const { lhr } = result;
      if (lhr.runtimeError) throw new CannotRun(`${preset}: ${lhr.runtimeError.code}: ${lhr.runtimeError.message}`);
      for (const w of lhr.runWarnings ?? []) console.warn(`lighthouse: ${preset}: warning: ${w}`);
      const scores = CATEGORIES.map((c) => lhr.categories[c]?.score);
      if (scores.some((s) => s === null || s === undefined)) {
        throw new CannotRun(`${preset}: a category could not be scored (${CATEGORIES.map((c, i) => `${c} ${scores[i]}`).join(', ')})`);
      }
      runs.push({ result, scores: scores.map((s) => Math.round(s * 100)) });
    }
    runs.sort((a, b) => a.scores[0] - b.scores[0]);
    const { result, scores } = runs[Math.floor((runs.length - 1) / 2)];
    const { lhr } = result;
    if (opt.report) {
      mkdirSync(opt.report, { recursive: true });
      writeFileSync(join(opt.report, `${preset}.html`), result.report[0]);
      writeFileSync(join(opt.report, `${preset}.json`), result.report[1]);
    }
    const metrics = Object.entries(METRICS)
      .filter(([, id]) => lhr.audits[id])
      .map(([name, id]) => `${name} ${lhr.audits[id].displayValue}`);
    metrics.push(`benchmarkIndex ${Math.round(lhr.environment.benchmarkIndex)}`);
    const spread = RUNS > 1 ? ` (performance over ${RUNS} runs: ${runs.map((r) => r.scores[0]).join(', ')})` : '';
    rows.push({ preset, scores, lhr, metrics, spread });
  }

  // --- The table -------------------------------------------------------------------------------------
  const widths = [8, ...CATEGORIES.map((c) => c.length)];
  const line = (cells) => cells.map((c, i) => String(c)[i ? 'padStart' : 'padEnd'](widths[i])).join('  ');
  console.log(`\n${line(['preset', ...CATEGORIES])}`);
  for (const r of rows) console.log(line([r.preset, ...r.scores]));
  for (const r of rows) {
    console.log(`\n${r.preset}: ${r.metrics.join(', ')}${r.spread}`);
    CATEGORIES.forEach((c, i) => {
      if (r.scores[i] === 100) return;
      console.log(`  ${c} ${r.scores[i]}:`);
      const audits = failing(r.lhr, c);
      for (const a of audits.length ? audits : ['(no single audit below 100: rounding of weighted metric scores)']) console.log(`    - ${a}`);
    });
  }
} catch (err) {
  console.error(`lighthouse: cannot run: ${err instanceof CannotRun ? err.message : (err?.stack ?? err)}`);
  process.exitCode = 1;
} finally {
  cleanUp();
}
