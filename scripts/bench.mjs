#!/usr/bin/env node
// wan-studio's benchmark (issue 7). Measures, side by side in one run on this machine:
//
//   1. bytes to first load: every file the page loads (raw, gzip -9, brotli -q 11), for the app's
//      release build and for the Leptos 0.8 CSR hello-world of benches/hello, and their ratio;
//   2. time to interactive in headless Chromium on loopback (navigation start → the Generate button
//      is in the page and enabled; for the hello-world, its button), over cold loads;
//   3. history at scale: render time, JS heap, wasm memory, DOM nodes, idle cost and keystroke
//      latency with 0, 1 000 and 10 000 tasks stored (imported by a first load, then measured on
//      the next), against the budgets of issue 14;
//   4. polling cost: requests per task against the simulator with a 60 s run time, 1 tab vs 3 tabs,
//      against the floor (1 submit + ⌈60 s / poll interval⌉ queries);
//   5. CPU while idle-polling: main-thread busy time per minute with 5 running tasks;
//
// then a table of the budgets, met or not. Timings are printed, never asserted.
//
// Run everything (setup, builds, then this script) with `scripts/bench.sh` (= `npm run bench`).
// This script alone expects the builds to exist:
//   node scripts/bench.mjs [--app target/bench/app-dist] [--hello target/bench/hello-dist] [--runs 9]
//                          [--history-runs 5] [--cpu-window-s 60] [--only sizes,tti,history,polling,cpu]
//                          [--markdown target/bench/report.md] [--update-readme]
// --update-readme replaces the text between <!-- bench:start --> and <!-- bench:end --> in
// README.md's Performance section with this run's tables (markdown), nothing else.
//
// Everything runs on 127.0.0.1; Chromium resolves every other host to NOTFOUND.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, VIEWPORT } from './lib/chromium.mjs';
import { ROOT } from './lib/paths.mjs';
import { TEST_KEY, startSim } from './lib/sim.mjs';
import { sizes as fileSizes } from './lib/sizes.mjs';
import { startStaticServer } from './lib/static-server.mjs';

const { values: opt } = parseArgs({
  options: {
    app: { type: 'string', default: join(ROOT, 'target/bench/app-dist') },
    hello: { type: 'string', default: join(ROOT, 'target/bench/hello-dist') },
    runs: { type: 'string', default: '9' },
    'history-runs': { type: 'string', default: '5' },
    'history-sizes': { type: 'string', default: '1000,10000' },
    'cpu-window-s': { type: 'string', default: '60' },
    'run-time-s': { type: 'string', default: '60' },
    only: { type: 'string', default: 'sizes,tti,history,polling,cpu' },
    markdown: { type: 'string', default: join(ROOT, 'target/bench/report.md') },
    'update-readme': { type: 'boolean', default: false },
  },
});
const RUNS = Math.max(1, Number(opt.runs));
const HISTORY_RUNS = Math.max(1, Number(opt['history-runs']));
const HISTORY_SIZES = opt['history-sizes'].split(',').map(Number);
const CPU_WINDOW_MS = Number(opt['cpu-window-s']) * 1000;
const RUN_TIME_MS = Number(opt['run-time-s']) * 1000;
const ONLY = new Set(opt.only.split(','));

// ---------------------------------------------------------------------------------------------
// What the app stores and shows. Kept together so that a change of the app means one edit here.
// ---------------------------------------------------------------------------------------------
const LEDGER_KEY = 'wan-studio.tasks.v1';
const KEY_KEY = 'wan-studio.key.v1';
const SETTINGS_KEY = 'wan-studio.settings.v1';
/** One element per task in the task list / history. */
const TASK_ITEM = 'article.take';
/** The Generate button's accessible name (the e2e suite's `ui.generate`). */
const GENERATE = 'Generate';

/** Reads a Rust constant (`pub const NAME: T = 1_000;`) from the app's source, or the fallback. */
function rustConst(file, name, fallback) {
  try {
    const m = readFileSync(join(ROOT, file), 'utf8').match(new RegExp(`const ${name}: *\\w+ *= *([0-9_]+)`));
    return m ? Number(m[1].replaceAll('_', '')) : fallback;
  } catch {
    return fallback;
  }
}
const FAST_POLL_MS = rustConst('src/domain/task.rs', 'FAST_POLL_MS', 5_000);

/**
 * The ledger's stored text for `n` finished tasks, oldest first, exactly as the app writes it: built
 * with the app's own Rust types and encoder by examples/seed_ledger.rs (task i submitted 2 days +
 * i × 7 min ago, so every link has expired and nothing is polled; 80 % succeeded, 15 % failed, 5 %
 * canceled).
 */
function ledgerText(n) {
  return execFileSync('cargo', ['run', '--release', '--quiet', '--example', 'seed_ledger', '--', '--count', String(n), '--now-ms', String(Date.now())], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
}

// ---------------------------------------------------------------------------------------------
// Output: plain tables on stdout, the same as markdown for the README.
// ---------------------------------------------------------------------------------------------
const md = [];
const int = (n) => Math.round(n).toLocaleString('en-US');
const bytes = (n) => `${int(n)} B`;
const ms = (n) => (n === undefined || Number.isNaN(n) ? 'n/a' : `${n < 10 ? n.toFixed(1) : int(n)} ms`);
const mib = (n) => `${(n / 1_048_576).toFixed(1)} MiB`;

function table(title, header, rows, note) {
  const cells = [header, ...rows].map((r) => r.map(String));
  const width = header.map((_, c) => Math.max(...cells.map((r) => r[c].length)));
  const right = header.map((_, c) => c > 0);
  const line = (r) => r.map((v, c) => (right[c] ? v.padStart(width[c]) : v.padEnd(width[c]))).join('  ');
  console.log(`\n${title}`);
  console.log(line(cells[0]));
  console.log(width.map((w) => '-'.repeat(w)).join('  '));
  for (const r of cells.slice(1)) console.log(line(r));
  if (note) console.log(note);
  md.push(`**${title}**`, '', `| ${header.join(' | ')} |`, `|${header.map((_, c) => (c ? '---:' : '---')).join('|')}|`);
  for (const r of cells.slice(1)) md.push(`| ${r.join(' | ')} |`);
  md.push('');
  if (note) md.push(note, '');
}

function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => {
    const i = (s.length - 1) * p;
    const lo = Math.floor(i);
    return s[lo] + (s[Math.ceil(i)] - s[lo]) * (i - lo);
  };
  return { n: s.length, min: s[0], p25: q(0.25), median: q(0.5), p75: q(0.75), max: s[s.length - 1] };
}

const sleep = (t) => new Promise((r) => setTimeout(r, t));
const budgets = [];
const budget = (name, target, actual, met) => budgets.push([name, target, actual, met === null ? 'n/a' : met ? 'met' : 'NOT met']);

// ---------------------------------------------------------------------------------------------
// Machine and browser
// ---------------------------------------------------------------------------------------------
function sh(cmd, args) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '?';
  }
}
const osName = (() => {
  try {
    return readFileSync('/etc/os-release', 'utf8').match(/^PRETTY_NAME="?([^"\n]+)"?$/m)?.[1] ?? os.type();
  } catch {
    return os.type();
  }
})();
const cpuModel = (readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.+)$/m) ?? [])[1] ?? os.cpus()[0]?.model ?? '?';
const commit = `${sh('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD'])}${sh('git', ['-C', ROOT, 'status', '--porcelain']) ? ' + uncommitted changes' : ''}`;
const loadStart = os.loadavg()[0];

for (const [name, dir] of [['app', opt.app], ['hello-world', opt.hello]]) {
  if (!existsSync(join(dir, 'index.html'))) {
    console.error(`bench: ${name} build missing (${dir}/index.html); run scripts/bench.sh, which builds everything`);
    process.exit(1);
  }
}

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: [...CHROMIUM_ARGS, '--enable-precise-memory-info'],
});
// As a static host serves them (compressed, Trunk's hashed files cached for a year), so that a
// service worker's install can find in the HTTP cache what the page has just fetched.
const appServer = { ...(await startStaticServer(opt.app, { host: true })), dir: resolve(opt.app) };
const helloServer = { ...(await startStaticServer(opt.hello, { host: true })), dir: resolve(opt.hello) };
const started = Date.now();

const machine = {
  date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
  cpus: os.availableParallelism?.() ?? os.cpus().length,
  cpuModel,
  memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
  os: osName,
  chromium: `Chromium ${browser.version()} (headless)`,
  node: process.version,
  commit,
};
console.log(`wan-studio benchmark — ${machine.date}`);
console.log(`machine: ${machine.os}, ${machine.cpus} CPUs (nproc), ${machine.cpuModel}, ${machine.memory} RAM; ${machine.chromium}; node ${machine.node}`);
console.log(`source: ${machine.commit}; load average at start ${loadStart.toFixed(2)}`);

/** A fresh incognito-like context: empty storage, empty HTTP cache. */
async function freshPage({ storage } = {}) {
  const context = await browser.newContext({ viewport: VIEWPORT, locale: 'en-US', timezoneId: 'Asia/Shanghai' });
  if (storage) {
    // Once per context: the app moves a stored ledger into its database and removes it.
    await context.addInitScript((entries) => {
      if (sessionStorage.getItem('bench.seeded')) return;
      sessionStorage.setItem('bench.seeded', '1');
      for (const [k, v] of entries) if (localStorage.getItem(k) === null) localStorage.setItem(k, v);
    }, Object.entries(storage));
  }
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  return { context, page, errors };
}

/**
 * Injected before any page script: records `performance.now()` (ms since navigation start) when a
 * button named `name` (any button when null) is in the document and enabled, as window.__tti;
 * and keeps the wasm instance's memory for later reading.
 */
function ttiProbe(name) {
  addEventListener('TrunkApplicationStarted', (e) => (window.__wasmMemory = e.detail?.wasm?.memory));
  const check = () => {
    if (window.__tti !== undefined) return;
    for (const b of document.querySelectorAll('button')) {
      if ((name === null || b.textContent.trim() === name) && !b.disabled) {
        window.__tti = performance.now();
        observer.disconnect();
        return;
      }
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['disabled'] });
}

async function loadUntilInteractive(page, url, name) {
  await page.addInitScript(ttiProbe, name);
  await page.goto(url + '/', { waitUntil: 'commit' });
  await page.waitForFunction(() => window.__tti !== undefined, undefined, { timeout: 60_000, polling: 50 });
  return page.evaluate(() => window.__tti);
}

const targets = [
  { label: 'app (wan-studio)', server: appServer, button: GENERATE },
  { label: 'hello-world (benches/hello)', server: helloServer, button: null },
];

// ---------------------------------------------------------------------------------------------
// 1. Bytes to first load
// ---------------------------------------------------------------------------------------------
const totals = {};
if (ONLY.has('sizes')) {
  const rows = [];
  for (const t of targets) {
    const { context, page } = await freshPage();
    // path → who asked for it (page or service worker), for the labels. Context-wide, so a service
    // worker's fetches (Chromium) are seen too.
    const who = new Map();
    context.on('request', (r) => {
      if (!r.url().startsWith(t.server.url)) return;
      const path = new URL(r.url()).pathname;
      const w = who.get(path) ?? new Set();
      w.add(r.serviceWorker() ? 'service worker' : 'page');
      who.set(path, w);
    });
    t.server.clearServed();
    await loadUntilInteractive(page, t.server.url, t.button);
    await sleep(2_000); // what is fetched right after start: a config file, a manifest, a service worker's cache
    // What the server really sent: a file served twice (e.g. once to the page and once more to a
    // service worker for its cache) counts twice; one answered from the browser's cache not at all.
    const sends = new Map();
    for (const { path } of t.server.served()) sends.set(path, (sends.get(path) ?? 0) + 1);
    const total = { raw: 0, gzip: 0, brotli: 0 };
    const wire = { raw: 0, gzip: 0, brotli: 0 };
    const order = (path) => {
      const i = ['.html', '.css', '.js', '.wasm'].findIndex((e) => path.endsWith(e));
      return path.endsWith('/') ? 0 : i < 0 ? 9 : i;
    };
    const paths = [...sends.keys()].sort((x, y) => order(x) - order(y) || x.localeCompare(y));
    const name = t.label.split(' ')[0];
    for (const path of paths) {
      const n = sends.get(path);
      const s = fileSizes(readFileSync(join(t.server.dir, path.endsWith('/') ? `${path}index.html` : decodeURIComponent(path))));
      const file = path === '/' ? 'index.html' : path.slice(1).replace(/-[0-9a-f]{8,16}/, '');
      const by = [...(who.get(path) ?? [])].join(' + ');
      const note = n > 1 ? ` (sent ${n}×: ${by})` : by === 'service worker' ? ' (service worker)' : '';
      rows.push([`${name}: ${file}${note}`, bytes(s.raw), bytes(s.gzip), bytes(s.brotli)]);
      for (const k of Object.keys(total)) {
        total[k] += s[k];
        wire[k] += s[k] * n;
      }
    }
    rows.push([`${name}: files (${paths.length})`, bytes(total.raw), bytes(total.gzip), bytes(total.brotli)]);
    rows.push([`${name}: transferred, whole first load`, bytes(wire.raw), bytes(wire.gzip), bytes(wire.brotli)]);
    totals[t.label] = { ...wire, files: total };
    await context.close();
  }
  const [a, h] = targets.map((t) => totals[t.label]);
  rows.push(['ratio app / hello-world, transferred', ...['raw', 'gzip', 'brotli'].map((k) => `${(a[k] / h[k]).toFixed(2)}×`)]);
  table(
    '1. Bytes to first load (every file fetched until interactive + 2 s)',
    ['file', 'raw', 'gzip -9', 'brotli -q 11'],
    rows,
    a.brotli !== a.files.brotli
      ? `"files" counts each file once; "transferred" counts a file as often as the server sent it (e.g. again to a service worker for its cache).`
      : undefined,
  );
  const filesNote = a.brotli !== a.files.brotli ? ` (files once: ${bytes(a.files.brotli)})` : '';
  budget('whole first load, brotli (issue 14)', '≤ 200,000 B', `${bytes(a.brotli)}${filesNote}`, a.brotli <= 200_000);
  budget(
    'first load vs hello-world, brotli',
    '≤ 2×',
    `${(a.brotli / h.brotli).toFixed(2)}×${filesNote ? ` (files once: ${(a.files.brotli / h.brotli).toFixed(2)}×)` : ''}`,
    a.brotli <= 2 * h.brotli,
  );
}

// ---------------------------------------------------------------------------------------------
// 2. Time to interactive, cold loads (fresh context: empty storage and HTTP cache)
// ---------------------------------------------------------------------------------------------
if (ONLY.has('tti')) {
  const times = new Map(targets.map((t) => [t.label, []]));
  for (let run = 0; run <= RUNS; run++) {
    // Alternate the order so neither side always goes first; run 0 is a discarded warm-up.
    for (const t of run % 2 ? [...targets].reverse() : targets) {
      const { context, page, errors } = await freshPage();
      const tti = await loadUntilInteractive(page, t.server.url, t.button);
      if (errors.length) throw new Error(`${t.label}: page error during load: ${errors[0]}`);
      if (run > 0) times.get(t.label).push(tti);
      await context.close();
    }
  }
  const s = targets.map((t) => stats(times.get(t.label)));
  table(
    `2. Time to interactive (navigation start → ${GENERATE} / the button enabled), ${RUNS} cold loads each`,
    ['page', 'median', 'p25–p75', 'min–max'],
    [
      ...targets.map((t, i) => [t.label, ms(s[i].median), `${ms(s[i].p25)} – ${ms(s[i].p75)}`, `${ms(s[i].min)} – ${ms(s[i].max)}`]),
      ['difference (app − hello-world)', ms(s[0].median - s[1].median), '', ''],
    ],
  );
  budget('TTI vs hello-world (medians)', '≤ +100 ms', `+${ms(s[0].median - s[1].median)}`, s[0].median - s[1].median <= 100);
}

// ---------------------------------------------------------------------------------------------
// 3. History at scale
// ---------------------------------------------------------------------------------------------

/**
 * Injected before page scripts: follows how many task items are in the page. window.__items is the
 * count, __itemsAt when it last changed (ms since navigation start), __framedAt the end of the
 * next frame after that (style, layout and paint included).
 */
function itemsProbe(selector) {
  addEventListener('TrunkApplicationStarted', (e) => (window.__wasmMemory = e.detail?.wasm?.memory));
  window.__items = 0;
  const observer = new MutationObserver(() => {
    const n = document.querySelectorAll(selector).length;
    if (n === window.__items) return;
    window.__items = n;
    const at = (window.__itemsAt = performance.now());
    requestAnimationFrame(() =>
      setTimeout(() => {
        if (window.__itemsAt === at) window.__framedAt = performance.now();
      }),
    );
  });
  observer.observe(document, { subtree: true, childList: true });
  window.__stopItemsProbe = () => observer.disconnect();
}

async function metrics(cdp) {
  const { metrics: list } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(list.map((m) => [m.name, m.value]));
}

/**
 * Loads the app, imports `text` (the seeded ledger) through Import history, so the app writes its
 * database itself, then measures a second load (what every later visit sees); resolves once the
 * item count stops changing.
 */
async function loadHistory(text, n) {
  const { context, page, errors } = await freshPage();
  await page.addInitScript(itemsProbe, TASK_ITEM);
  await page.addInitScript(ttiProbe, GENERATE);
  await page.goto(appServer.url + '/', { waitUntil: 'commit' });
  await page.waitForFunction(() => window.__tti !== undefined, undefined, { timeout: 120_000, polling: 100 });
  if (n > 0) {
    const { tasks } = JSON.parse(text);
    const file = JSON.stringify({ format: 'wan-studio-history', version: 1, exported_at_ms: Date.now(), tasks });
    await page.getByLabel('Import history').setInputFiles({ name: 'history.json', mimeType: 'application/json', buffer: Buffer.from(file) });
    await page.getByText(`Imported ${n} task(s)`).first().waitFor({ timeout: 600_000 });
  }
  await page.reload({ waitUntil: 'commit' });
  await page.waitForFunction(() => window.__tti !== undefined, undefined, { timeout: 120_000, polling: 100 });
  // Done when all n items are there and framed, or (a paged list, or none readable) the count has
  // held still for 2 s since the page became interactive.
  const deadline = Date.now() + 180_000;
  for (;;) {
    const s = await page.evaluate(() => ({ items: window.__items, at: window.__itemsAt, framed: window.__framedAt, tti: window.__tti, now: performance.now() }));
    if (s.items >= n && s.framed !== undefined) break;
    if (s.now - Math.max(s.at ?? 0, s.tti) > 2_000 && (s.items === 0 || s.framed !== undefined)) break;
    if (errors.length) throw new Error(`page error with ${n} tasks: ${errors[0]}`);
    if (Date.now() > deadline) throw new Error(`with ${n} tasks the list never settled (${s.items} items)`);
    await sleep(100);
  }
  const r = await page.evaluate(() => ({ items: window.__items, at: window.__itemsAt, framed: window.__framedAt, tti: window.__tti }));
  return { context, page, errors, ...r };
}

/** Checks that this build shows seeded records (3 of them) before measuring with thousands. */
async function checkSeed() {
  const { context, items } = await loadHistory(ledgerText(3), 3).catch((e) => ({ context: null, items: 0, e }));
  await context?.close();
  if (items !== 3) {
    throw new Error(
      `the app did not show 3 seeded tasks (${items}): check examples/seed_ledger.rs against the ledger ` +
        `(src/domain/task.rs, src/domain/history.rs) and TASK_ITEM in scripts/bench.mjs against the task list markup`,
    );
  }
}

/** With the list on screen: memory after GC, idle main-thread cost, keystroke latency. */
async function historyDetails(r) {
  await r.page.evaluate(() => window.__stopItemsProbe());
  const cdp = await r.context.newCDPSession(r.page);
  await cdp.send('Performance.enable');
  await cdp.send('HeapProfiler.collectGarbage');
  const mem = await r.page.evaluate(() => ({
    heap: performance.memory.usedJSHeapSize,
    wasm: window.__wasmMemory?.buffer.byteLength,
  }));
  const m0 = await metrics(cdp);
  await sleep(5_000);
  const m1 = await metrics(cdp);
  let keystroke;
  const prompt = r.page.getByRole('textbox', { name: 'Prompt', exact: true });
  if (await prompt.count()) {
    await prompt.focus();
    await r.page.evaluate(() => {
      window.__lat = [];
      document.addEventListener(
        'keydown',
        (e) => {
          const t0 = e.timeStamp;
          requestAnimationFrame(() => setTimeout(() => window.__lat.push(performance.now() - t0)));
        },
        { capture: true },
      );
    });
    for (let k = 1; k <= 7; k++) {
      await r.page.keyboard.press('a');
      await r.page.waitForFunction((k) => window.__lat.length >= k, k, { timeout: 30_000 });
      await sleep(200);
    }
    keystroke = stats(await r.page.evaluate(() => window.__lat)).median;
  }
  return { mem, nodes: m1.Nodes, idleBusy: ((m1.TaskDuration - m0.TaskDuration) * 1000) / 5, keystroke };
}

if (ONLY.has('history')) {
  await checkSeed();
  // 0 tasks is the baseline the others are compared with.
  const sizes = [0, ...HISTORY_SIZES.filter((x) => x > 0)];
  const texts = Object.fromEntries(sizes.map((n) => [n, ledgerText(n)]));
  const runs = Object.fromEntries(sizes.map((n) => [n, { tti: [], render: [], framed: [] }]));
  // Rounds over all sizes (not one size after the other), so that a burst of other load on the
  // machine spreads over every size instead of skewing one; round 0 is a discarded warm-up.
  for (let round = 0; round <= HISTORY_RUNS; round++) {
    for (const n of round % 2 ? [...sizes].reverse() : sizes) {
      const r = await loadHistory(texts[n], n);
      await r.context.close();
      if (round === 0) continue;
      runs[n].tti.push(r.tti);
      // With no tasks there is no list: "shown" is when the page is interactive.
      runs[n].render.push(n === 0 ? r.tti : r.at);
      runs[n].framed.push(n === 0 ? r.tti : r.framed);
    }
  }
  const results = {};
  const rows = [];
  const signed = (x) => (x < 0 ? `−${ms(-x)}` : `+${ms(x)}`);
  for (const n of sizes) {
    const r = await loadHistory(texts[n], n);
    const details = await historyDetails(r);
    await r.context.close();
    const res = (results[n] = {
      items: r.items,
      tti: stats(runs[n].tti).median,
      render: stats(runs[n].render).median,
      framed: stats(runs[n].framed).median,
      ...details,
    });
    res.extra = res.render - results[0].render;
    res.extraFramed = res.framed - results[0].framed;
    rows.push([
      int(n),
      int(res.items),
      ms(res.tti),
      ms(res.render),
      ms(res.framed),
      n === 0 ? '(baseline)' : `${signed(res.extra)} / ${signed(res.extraFramed)}`,
      mib(res.mem.heap),
      res.mem.wasm ? mib(res.mem.wasm) : 'n/a',
      int(res.nodes),
      `${ms(res.idleBusy)}/s`,
      ms(res.keystroke),
    ]);
  }
  table(
    `3. History at scale (${HISTORY_RUNS} cold loads each, medians; memory and the rest from one more load)`,
    ['tasks stored', 'items shown', 'Generate enabled', 'list in DOM', '+ next frame', 'over 0 tasks (DOM / frame)', 'JS heap after GC', 'wasm memory', 'DOM nodes', 'idle main thread', 'keystroke → frame'],
    rows,
    `Times from navigation start. "list in DOM": the last \`${TASK_ITEM}\` is inserted; "+ next frame": the frame after it has run (style, layout, paint); ` +
      `"over 0 tasks": minus the same time with an empty history. "idle main thread": busy time per second over 5 s with the list shown. ` +
      `Seeded history (examples/seed_ledger.rs, format v${JSON.parse(texts[0]).version}, imported by a first load through Import history, measured on the next): finished tasks, 80 % succeeded (expired links), 15 % failed, 5 % canceled.`,
  );
  // The issue's budgets: list and next frame within +50 ms of an empty history at 1 000 tasks,
  // +100 ms at 10 000, wasm memory not growing with the number of stored tasks.
  for (const [n, limit] of [[1000, 50], [10000, 100]]) {
    const r = results[n];
    if (!r) continue;
    budget(
      `${int(n)}-task history opens`,
      `list and next frame < ${limit} ms over 0 tasks`,
      `${signed(r.extra)} (DOM) / ${signed(r.extraFramed)} (frame)`,
      r.extra < limit && r.extraFramed < limit,
    );
    // The same page of cards either way: memory must not follow the number stored.
    const fewer = results[1000];
    if (n > 1000 && fewer?.mem.wasm && r.mem.wasm) {
      budget(`${int(n)}-task history memory`, `wasm memory as with ${int(1000)}`, `${bytes(r.mem.wasm)} vs ${bytes(fewer.mem.wasm)}`, r.mem.wasm <= fewer.mem.wasm);
    }
    if (n === 10000) {
      budget(
        `${int(n)}-task history usable`,
        'keystroke → frame < 100 ms, idle < 10 % busy',
        `${ms(r.keystroke)}, idle ${((r.idleBusy / 1000) * 100).toFixed(1)} % (Generate after ${ms(r.tti)})`,
        r.keystroke < 100 && r.idleBusy < 100,
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Shared by 4 and 5: a configured app page, and submitting through the form.
// ---------------------------------------------------------------------------------------------
function connectionStorage(sim) {
  return {
    [KEY_KEY]: TEST_KEY,
    [SETTINGS_KEY]: JSON.stringify({ endpoint_choice: 'custom', custom_endpoint: sim.endpoint, async_header: true }),
  };
}

async function openTab(context, { wait = true } = {}) {
  const page = await context.newPage();
  await page.addInitScript(ttiProbe, GENERATE);
  await page.goto(appServer.url + '/', { waitUntil: 'commit' });
  if (wait) await page.waitForFunction(() => window.__tti !== undefined, undefined, { timeout: 60_000, polling: 100 });
  return page;
}

/** Fills the prompt and presses Generate (once it is enabled); resolves when the submit arrived. */
async function submitOne(page, sim, prompt) {
  const before = (await sim.submits()).length;
  const generate = page.getByRole('button', { name: GENERATE, exact: true });
  const deadline = Date.now() + 30_000;
  const fail = async (what) => {
    const shot = join(ROOT, 'target/bench/submit-failed.png');
    await page.screenshot({ path: shot, fullPage: true }).catch(() => {});
    throw new Error(`${what} (page: ${relative(ROOT, shot)})`);
  };
  while (await generate.isDisabled()) {
    if (Date.now() > deadline) await fail('Generate stayed disabled for 30 s');
    await sleep(100);
  }
  await page.getByRole('textbox', { name: 'Prompt', exact: true }).fill(prompt);
  await generate.click();
  while ((await sim.submits()).length === before) {
    if (Date.now() > deadline) await fail('the submit did not reach the simulator within 30 s');
    await sleep(100);
  }
}

const succeeded = (page) => page.getByRole('status').filter({ hasText: 'Succeeded' });

// ---------------------------------------------------------------------------------------------
// 4. Polling cost
// ---------------------------------------------------------------------------------------------
if (ONLY.has('polling')) {
  const floorQueries = Math.ceil(RUN_TIME_MS / FAST_POLL_MS);
  const floor = 1 + floorQueries;
  const scenarios = [
    { name: '1 tab', tabs: 1, openOthers: null },
    { name: '3 tabs, opened before the submit', tabs: 3, openOthers: 'before' },
    { name: '3 tabs, 2 opened after the submit', tabs: 3, openOthers: 'after' },
  ];
  const run = async (sc) => {
    const sim = await startSim({ pendingMs: 0, runningMs: RUN_TIME_MS });
    const { context, page } = await freshPage({ storage: connectionStorage(sim) });
    try {
      await page.addInitScript(ttiProbe, GENERATE);
      await page.goto(appServer.url + '/', { waitUntil: 'commit' });
      await page.waitForFunction(() => window.__tti !== undefined, undefined, { timeout: 60_000, polling: 100 });
      const tabs = [page];
      if (sc.openOthers === 'before') for (let k = 1; k < sc.tabs; k++) tabs.push(await openTab(context));
      await submitOne(page, sim, `Polling benchmark (${sc.name})`);
      if (sc.openOthers === 'after') for (let k = 1; k < sc.tabs; k++) tabs.push(await openTab(context));
      await succeeded(page).first().waitFor({ timeout: RUN_TIME_MS + 90_000 });
      // Give the other tabs one slow-poll interval to catch up, and any stray poll time to show.
      const graceUntil = Date.now() + 16_000;
      while (Date.now() < graceUntil) {
        const shown = await Promise.all(tabs.map((t) => succeeded(t).count()));
        if (shown.every((c) => c > 0) && Date.now() > graceUntil - 10_000) break;
        await sleep(500);
      }
      const shown = (await Promise.all(tabs.map((t) => succeeded(t).count()))).filter((c) => c > 0).length;
      const requests = await sim.requests();
      const submits = (await sim.submits()).length;
      const queries = (await sim.queries()).length;
      const preflights = requests.filter((r) => r.method === 'OPTIONS').length;
      return { ...sc, submits, queries, preflights, shown };
    } finally {
      await context.close();
      await sim.stop();
    }
  };
  const res = await Promise.all(scenarios.map(run));
  table(
    `4. Polling cost: one task, simulator run time ${RUN_TIME_MS / 1000} s, poll interval ${FAST_POLL_MS / 1000} s`,
    ['scenario', 'submits', 'queries', 'requests / task', 'floor', 'CORS preflights', 'tabs showing the result'],
    res.map((r) => [r.name, r.submits, r.queries, r.submits + r.queries, `${floor} (1 + ${floorQueries})`, r.preflights, `${r.shown} of ${r.tabs}`]),
    `floor = 1 submit + ⌈${RUN_TIME_MS / 1000} s / ${FAST_POLL_MS / 1000} s⌉ queries; preflights are not counted as requests.`,
  );
  const one = res[0];
  const threes = res.slice(1);
  const worst = threes.reduce((w, r) => (r.queries > w.queries ? r : w));
  budget(
    '3 tabs make as many queries as 1 tab',
    `= ${one.queries} queries`,
    threes.map((r) => `${r.queries} (${r.name.replace('3 tabs, ', '')}, ${r.shown}/3 tabs show it)`).join('; '),
    threes.every((r) => r.queries === one.queries),
  );
  const worstRequests = Math.max(...res.map((r) => r.submits + r.queries));
  budget('requests per task', `≤ floor + 1 = ${floor + 1}`, `1 tab: ${one.submits + one.queries}; worst: ${worstRequests} (${worst.name})`, worstRequests <= floor + 1);
}

// ---------------------------------------------------------------------------------------------
// 5. CPU while idle-polling
// ---------------------------------------------------------------------------------------------
if (ONLY.has('cpu')) {
  const sim = await startSim({ pendingMs: 0, runningMs: 3_600_000 });
  const { context, page, errors } = await freshPage({ storage: connectionStorage(sim) });
  try {
    await page.addInitScript(ttiProbe, GENERATE);
    await page.goto(appServer.url + '/', { waitUntil: 'commit' });
    await page.waitForFunction(() => window.__tti !== undefined, undefined, { timeout: 60_000, polling: 100 });
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const measure = async (windowMs) => {
      const q0 = (await sim.queries()).length;
      const m0 = await metrics(cdp);
      await sleep(windowMs);
      const m1 = await metrics(cdp);
      const q1 = (await sim.queries()).length;
      const perMin = (k) => ((m1[k] - m0[k]) * 1000 * 60_000) / windowMs;
      return {
        task: perMin('TaskDuration'),
        script: perMin('ScriptDuration'),
        layout: perMin('LayoutDuration') + perMin('RecalcStyleDuration'),
        queries: ((q1 - q0) * 60_000) / windowMs,
      };
    };
    await sleep(2_000);
    const idle = await measure(Math.min(20_000, CPU_WINDOW_MS));
    for (let k = 1; k <= 5; k++) await submitOne(page, sim, `Idle-polling benchmark, task ${k}`);
    await sleep(2_000);
    const running = await measure(CPU_WINDOW_MS);
    if (errors.length) throw new Error(`page error while idle-polling: ${errors[0]}`);
    const row = (name, r, windowMs) => [
      name,
      `${int(windowMs / 1000)} s`,
      `${ms(r.task)}`,
      `${((r.task / 60_000) * 100).toFixed(2)} %`,
      ms(r.script),
      ms(r.layout),
      r.queries.toFixed(0),
    ];
    table(
      '5. CPU while idle-polling (main thread, per minute; CDP Performance.getMetrics deltas)',
      ['state', 'window', 'busy (TaskDuration)', 'busy share', 'script', 'style + layout', 'queries / min'],
      [row('loaded, no tasks', idle, Math.min(20_000, CPU_WINDOW_MS)), row('5 running tasks (first minute, 5 s polling)', running, CPU_WINDOW_MS)],
    );
  } finally {
    await context.close();
    await sim.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// Budgets and the record of the run
// ---------------------------------------------------------------------------------------------
table('Budgets', ['budget', 'target', 'measured', 'status'], budgets);
const elapsed = (Date.now() - started) / 1000;
const loadEnd = os.loadavg()[0];
const footer = `Measured ${machine.date} on ${machine.os}, ${machine.cpus} CPUs (nproc) ${machine.cpuModel}, ${machine.memory} RAM, ${machine.chromium}, node ${machine.node}; source ${machine.commit}; load average ${loadStart.toFixed(2)} → ${loadEnd.toFixed(2)}; ${elapsed.toFixed(0)} s.`;
console.log(`\n${footer}`);

await browser.close();
await appServer.close();
await helloServer.close();

const report = [footer, '', ...md].join('\n');
mkdirSync(dirname(resolve(opt.markdown)), { recursive: true });
writeFileSync(opt.markdown, report);
console.log(`markdown: ${relative(process.cwd(), resolve(opt.markdown))}`);

if (opt['update-readme']) {
  const readmePath = join(ROOT, 'README.md');
  const readme = readFileSync(readmePath, 'utf8');
  const start = '<!-- bench:start -->';
  const end = '<!-- bench:end -->';
  const i = readme.indexOf(start);
  const j = readme.indexOf(end);
  if (i < 0 || j < i) {
    console.error(`bench: README.md has no ${start} … ${end} block; not updated`);
    process.exit(1);
  }
  writeFileSync(readmePath, `${readme.slice(0, i + start.length)}\n${report}\n${readme.slice(j)}`);
  console.log('README.md: Performance tables updated');
}
process.exit(0);
