#!/usr/bin/env node
// Lighthouse scores of a release build (performance, accessibility, best practices, SEO), with the
// mobile (default) and the desktop preset:
//
//   node scripts/lighthouse.mjs [distDir=dist] [--runs N] [--report DIR]      (= npm run lighthouse)
//
// Serves distDir on 127.0.0.1 (an ephemeral port) the way a static host would: the right content
// types (application/wasm…), brotli or gzip as the browser asks, and long-lived caching for Trunk's
// content-hashed files; runs Lighthouse through its node API in Debian's headless Chromium
// (/usr/bin/chromium, or $CHROME_PATH; a fresh temporary profile, killed at the end); prints a table of
// the four scores (0–100) per preset and, under it, the audits that keep a score below 100.
// --runs N runs each preset N times and reports the run with the median performance score (the
// CPU-bound metrics, TBT above all, move with the machine's load; Lighthouse's benchmarkIndex is
// printed with them). --report DIR also writes each reported run as DIR/<preset>.html and .json.
//
// Scores are printed, never asserted: the exit code is non-zero only when Lighthouse could not run
// (no build, Chromium would not start, the page did not load, a category could not be scored).
// Everything stays on 127.0.0.1: Chromium resolves every other host to NOTFOUND.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';
import { CONTENT_TYPES } from './content-types.mjs';

const { values: opt, positionals } = parseArgs({
  options: { report: { type: 'string' }, runs: { type: 'string', default: '1' } },
  allowPositionals: true,
});
const distDir = resolve(positionals[0] ?? 'dist');
const RUNS = Number(opt.runs);
const CHROME_PATH = process.env.CHROME_PATH || '/usr/bin/chromium';
const CHROME_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
];
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

// --- Static server ----------------------------------------------------------------------------------
const TYPES = CONTENT_TYPES;
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.wasm', '.css', '.json', '.webmanifest', '.svg', '.txt', '.xml', '.ico']);
// Trunk's output names carry a 16-hex-digit content hash (main-<hash>.css, wan-studio-<hash>_bg.wasm).
const HASHED = /-[0-9a-f]{16}(_bg)?\.[a-z]+$/;

/** Serves `root` like a static host with precompressed files: every body is compressed before the
 *  first request (brotli -q 11 of the wasm takes a second or two, which would otherwise count as
 *  server time in the measurement) and kept in memory. */
async function serve(root) {
  const cache = new Map(); // `${path}\n${encoding}` → body
  const body = (path, encoding) => {
    const key = `${path}\n${encoding}`;
    if (!cache.has(key)) {
      const raw = readFileSync(path);
      cache.set(
        key,
        encoding === 'br'
          ? brotliCompressSync(raw, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: raw.length } })
          : encoding === 'gzip'
            ? gzipSync(raw, { level: 9 })
            : raw,
      );
    }
    return cache.get(key);
  };
  const walk = (d) => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]));
  for (const f of walk(root)) if (COMPRESSIBLE.has(extname(f))) for (const enc of ['br', 'gzip']) body(f, enc);
  const server = createServer((req, res) => {
    try {
      const { pathname } = new URL(req.url, 'http://127.0.0.1');
      let path = normalize(join(root, decodeURIComponent(pathname)));
      if (path !== root && !path.startsWith(root + sep)) return res.writeHead(403).end();
      if (pathname.endsWith('/')) path = join(path, 'index.html');
      let isFile = false;
      try {
        isFile = statSync(path).isFile();
      } catch {}
      if (!isFile) return res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found');
      const ext = extname(path);
      const accepts = req.headers['accept-encoding'] ?? '';
      const encoding = !COMPRESSIBLE.has(ext) ? 'identity' : /\bbr\b/.test(accepts) ? 'br' : /\bgzip\b/.test(accepts) ? 'gzip' : 'identity';
      const data = body(path, encoding);
      res.writeHead(200, {
        'Content-Type': TYPES[ext] ?? 'application/octet-stream',
        'Content-Length': data.length,
        ...(encoding === 'identity' ? {} : { 'Content-Encoding': encoding }),
        Vary: 'Accept-Encoding',
        // Hashed names never change content: cache for a year. The rest (index.html, sw.js, the
        // manifest, the icon) is revalidated, so a new build shows up at once.
        'Cache-Control': HASHED.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache',
        'X-Content-Type-Options': 'nosniff',
      });
      res.end(req.method === 'HEAD' ? undefined : data);
    } catch (err) {
      res.writeHead(500).end(String(err));
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

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
  server?.closeAllConnections();
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
    throw new CannotRun(`${distDir}/index.html is missing: build first (trunk build --release --offline)`);
  }
  server = await serve(distDir);
  const url = `http://127.0.0.1:${server.address().port}/`;
  userDataDir = mkdtempSync(join(tmpdir(), 'wan-studio-lighthouse-'));
  chrome = await chromeLauncher.launch({
    chromePath: CHROME_PATH,
    chromeFlags: CHROME_FLAGS,
    userDataDir,
    logLevel: 'silent',
    handleSIGINT: false,
  });
  console.log(`lighthouse: ${url} (${distDir}), Chromium ${CHROME_PATH}`);

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
