// End-to-end harness for wan-studio: serves the release build (dist/) from a tiny static server,
// runs a fresh DMXAPI simulator (target/release/dmxapi-sim) and a fresh headless Chromium profile per
// test, and offers UI helpers that drive the app by role and accessible name, as a user would.
//
// Everything listens on and talks to 127.0.0.1 only; Chromium resolves every other host to
// NOTFOUND (--host-resolver-rules), so nothing can leave the machine.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { AssertionError } from 'node:assert';
import { chromium } from 'playwright-core';
import { CONTENT_TYPES } from '../../scripts/lib/static-server.mjs';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
// Overridable to test a copy (e.g. while a rebuild is rewriting dist/).
export const DIST = process.env.E2E_DIST ?? join(ROOT, 'dist');
export const SIM_BIN = process.env.E2E_SIM_BIN ?? join(ROOT, 'target/release/dmxapi-sim');
// The project's own copy of the vendor fixtures (see tests/fixtures/README.md).
export const FIXTURES = join(ROOT, 'tests/fixtures');
export const SCREENSHOTS = join(ROOT, 'docs/screenshots');
export const ARTIFACTS = join(ROOT, 'tests/e2e/artifacts');

export const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
];
export const VIEWPORT = { width: 1280, height: 900 };

/** A key in the documented shape (sk- + 48 alphanumerics); only ever sent to the local simulator. */
export const TEST_KEY = 'sk-e2eTestKey0123456789abcdefghijklmnopqrstuvwxyzAB';

export function fixture(name) {
  return JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));
}

// ---------------------------------------------------------------------------------------------
// Cleanup of everything this process started, even when a test throws or the run is interrupted.
// ---------------------------------------------------------------------------------------------
const liveChildren = new Set();
const tempDirs = new Set();
process.on('exit', () => {
  for (const child of liveChildren) {
    try {
      child.kill('SIGKILL');
    } catch {}
  }
  for (const dir of tempDirs) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {}
  }
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => process.exit(128 + ({ SIGINT: 2, SIGTERM: 15, SIGHUP: 1 })[signal]));
}

// ---------------------------------------------------------------------------------------------
// Polling helpers: bounded waits on a condition, never fixed sleeps.
// ---------------------------------------------------------------------------------------------
const delay = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` until it returns a truthy value (which is returned) or `timeout` ms pass. */
export async function waitUntil(fn, { timeout = 30_000, interval = 100, message = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let lastError;
  for (;;) {
    try {
      const value = await fn();
      if (value) return value;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      const why = lastError ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${timeout} ms waiting for ${message}${why}`);
    }
    await delay(interval);
  }
}

/**
 * Asserts that `fn()` comes to deep-equal `expected` within `timeout` ms (the UI updates
 * asynchronously after an event); on timeout, fails showing the last value seen.
 */
export async function eventually(fn, expected, message, { timeout = 5_000 } = {}) {
  let last;
  try {
    await waitUntil(
      async () => {
        last = await fn();
        return isDeepStrictEqual(last, expected);
      },
      { timeout, message },
    );
  } catch (e) {
    throw new AssertionError({ message: `${message}: ${e.message}`, actual: last, expected, operator: 'eventually' });
  }
}

/**
 * For negative assertions ("nothing else gets sent"): checks that `fn` stays truthy for `during` ms,
 * failing as soon as it is not.
 */
export async function holdsFor(fn, { during = 1_500, interval = 100, message = 'condition' } = {}) {
  const deadline = Date.now() + during;
  while (Date.now() < deadline) {
    if (!(await fn())) throw new Error(`${message} stopped holding`);
    await delay(interval);
  }
}

// ---------------------------------------------------------------------------------------------
// Static server for dist/
// ---------------------------------------------------------------------------------------------
const MIME = CONTENT_TYPES;

export async function startStaticServer(dir = DIST) {
  if (!existsSync(join(dir, 'index.html'))) {
    throw new Error(`${dir}/index.html is missing: build the app first (trunk build --release --offline)`);
  }
  const root = resolve(dir);
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    let path = normalize(join(root, decodeURIComponent(url.pathname)));
    if (path !== root && !path.startsWith(root + sep)) {
      res.writeHead(403).end();
      return;
    }
    let isFile = existsSync(path) && statSync(path).isFile();
    if (!isFile && existsSync(join(path, 'index.html'))) {
      path = join(path, 'index.html');
      isFile = true;
    }
    // Single-page app: extension-less unknown paths get index.html.
    if (!isFile && extname(url.pathname) === '') {
      path = join(root, 'index.html');
      isFile = true;
    }
    if (!isFile) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    const body = readFileSync(path);
    res.writeHead(200, {
      'Content-Type': MIME[extname(path)] ?? 'application/octet-stream',
      'Content-Length': body.length,
      'Cache-Control': 'no-store',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    /** Lets the process end while the server is still listening. */
    unref: () => server.unref(),
    close: () =>
      new Promise((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

let sharedStatic;
/** One static server per test process (it is stateless); closed when the process ends. */
async function staticServer() {
  if (!sharedStatic) {
    sharedStatic = startStaticServer();
    (await sharedStatic).unref();
  }
  return sharedStatic;
}

// ---------------------------------------------------------------------------------------------
// The DMXAPI simulator
// ---------------------------------------------------------------------------------------------
export async function startSim({ pendingMs = 1_500, runningMs = 6_000, extraArgs = [] } = {}) {
  if (!existsSync(SIM_BIN)) {
    throw new Error(`${SIM_BIN} is missing: build it first (cargo build --release -p dmxapi-sim)`);
  }
  const child = spawn(
    SIM_BIN,
    ['--port', '0', '--quiet', '--pending-ms', String(pendingMs), '--running-ms', String(runningMs), ...extraArgs],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  liveChildren.add(child);
  child.on('exit', () => liveChildren.delete(child));
  let output = '';
  child.stderr.setEncoding('utf8').on('data', (d) => (output += d));
  const url = await new Promise((resolveUrl, reject) => {
    let stdout = '';
    const timer = setTimeout(() => {
      reject(new Error(`dmxapi-sim did not announce its address within 15 s; output:\n${stdout}${output}`));
    }, 15_000);
    child.stdout.setEncoding('utf8').on('data', (d) => {
      stdout += d;
      const m = stdout.match(/dmxapi-sim listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1]);
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`dmxapi-sim exited early (${code ?? signal}); output:\n${stdout}${output}`));
    });
  });
  // Keep draining stdout so the simulator never blocks on a full pipe.
  child.stdout.removeAllListeners('data');
  child.stdout.on('data', (d) => (output += d));

  const control = async (method, path, body) => {
    const res = await fetch(url + path, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`simulator ${method} ${path} -> HTTP ${res.status}: ${text}`);
    return text ? JSON.parse(text) : undefined;
  };

  const sim = {
    url,
    endpoint: `${url}/v1/responses`,
    output: () => output,
    /** Every request the simulator recorded; `json` is the parsed body when it is JSON. */
    async requests() {
      const list = await control('GET', '/__sim/requests');
      return list.map((r) => {
        let json;
        if (r.body !== null && typeof r.body === 'object') json = r.body;
        else if (typeof r.body === 'string' && r.body.length) {
          try {
            json = JSON.parse(r.body);
          } catch {}
        }
        return { ...r, pathname: String(r.path).split('?')[0], json };
      });
    },
    /** Any call to the API endpoint, whatever its method (preflights included). */
    async apiCalls() {
      return (await sim.requests()).filter((r) => r.pathname === '/v1/responses');
    },
    async submits() {
      return (await sim.requests()).filter(
        (r) => r.method === 'POST' && r.pathname === '/v1/responses' && r.json?.model === 'wan2.6-t2v',
      );
    },
    async queries() {
      return (await sim.requests()).filter(
        (r) => r.method === 'POST' && r.pathname === '/v1/responses' && r.json?.model === 'wan2.6-get',
      );
    },
    fault: (f) => control('POST', '/__sim/faults', f),
    clock: (c) => control('POST', '/__sim/clock', c),
    reset: () => control('POST', '/__sim/reset'),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const exited = once(child, 'exit');
      const t = setTimeout(() => child.kill('SIGKILL'), 3_000);
      await exited;
      clearTimeout(t);
    },
  };
  return sim;
}

// ---------------------------------------------------------------------------------------------
// Chromium
// ---------------------------------------------------------------------------------------------
export async function launchBrowser({ locale = 'en-US' } = {}) {
  const userDataDir = mkdtempSync(join(tmpdir(), 'wan-studio-e2e-'));
  tempDirs.add(userDataDir);
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: VIEWPORT,
    locale,
    timezoneId: 'Asia/Shanghai',
    acceptDownloads: true,
  });
  const close = async () => {
    try {
      await context.close();
    } finally {
      rmSync(userDataDir, { recursive: true, force: true });
      tempDirs.delete(userDataDir);
    }
  };
  return { context, userDataDir, close };
}

// ---------------------------------------------------------------------------------------------
// One test = fresh simulator + fresh browser profile; diagnostics and cleanup included.
// ---------------------------------------------------------------------------------------------

/**
 * Declares a node:test test with an environment:
 *   { app, sim, page, context, pageErrors, consoleErrors, pageRequests, screenshot(name) }
 * The test fails on any uncaught page error. On failure a screenshot and the page's console
 * errors are written to tests/e2e/artifacts/.
 */
export function e2e(name, { pendingMs, runningMs, timeout = 120_000, locale } = {}, fn) {
  test(name, { timeout }, async (t) => {
    const app = await staticServer();
    const sim = await startSim({ pendingMs, runningMs });
    t.after(() => sim.stop());
    const browser = await launchBrowser({ locale });
    t.after(() => browser.close());
    const { context } = browser;
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(15_000);

    const pageErrors = [];
    const consoleErrors = [];
    const pageRequests = [];
    page.on('pageerror', (err) => pageErrors.push(err));
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(msg.text());
    });
    page.on('dialog', (d) => d.accept().catch(() => {}));
    context.on('request', (req) => pageRequests.push({ method: req.method(), url: req.url() }));

    const env = {
      app,
      sim,
      page,
      context,
      pageErrors,
      consoleErrors,
      pageRequests,
      async screenshot(file) {
        mkdirSync(SCREENSHOTS, { recursive: true });
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.screenshot({ path: join(SCREENSHOTS, file) });
      },
    };
    try {
      await fn(env, t);
      if (pageErrors.length) {
        throw new Error(`uncaught page error(s):\n${pageErrors.map((e) => e.stack ?? String(e)).join('\n')}`);
      }
    } catch (err) {
      const slug = name.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
      try {
        mkdirSync(ARTIFACTS, { recursive: true });
        await page.screenshot({ path: join(ARTIFACTS, `${slug}.png`), fullPage: true, timeout: 5_000 });
        t.diagnostic(`failure screenshot: tests/e2e/artifacts/${slug}.png`);
      } catch {}
      if (consoleErrors.length) t.diagnostic(`page console errors:\n${consoleErrors.join('\n')}`);
      if (pageErrors.length && !String(err.message).startsWith('uncaught page error')) {
        t.diagnostic(`uncaught page errors:\n${pageErrors.map((e) => e.stack ?? String(e)).join('\n')}`);
      }
      const simOut = sim.output();
      if (simOut) t.diagnostic(`simulator output:\n${simOut}`);
      throw err;
    }
  });
}

// ---------------------------------------------------------------------------------------------
// UI helpers (the app's contract: roles and accessible names)
// ---------------------------------------------------------------------------------------------
export const ui = {
  // The header's language switch; its label names both languages ("Language · 语言").
  language: (page) => page.getByRole('combobox', { name: /Language/ }),
  section: (page, heading) =>
    page.locator('section').filter({ has: page.getByRole('heading', { name: heading, exact: true }) }),
  apiKey: (page) => page.getByRole('textbox', { name: 'API key', exact: true }),
  endpoint: (page) => page.getByRole('combobox', { name: 'API endpoint', exact: true }),
  customEndpoint: (page) => page.getByRole('textbox', { name: 'Custom endpoint URL', exact: true }),
  // A checkbox; role="switch" (a checkbox subclass in ARIA) is accepted too.
  asyncHeader: (page) => {
    const name = { name: 'Send X-DashScope-Async header', exact: true };
    return page.getByRole('checkbox', name).or(page.getByRole('switch', name));
  },
  prompt: (page) => page.getByRole('textbox', { name: 'Prompt', exact: true }),
  promptCounter: (page) => page.getByTestId('prompt-counter'),
  negativePrompt: (page) => page.getByRole('textbox', { name: 'Negative prompt', exact: true }),
  audioUrl: (page) => page.getByRole('textbox', { name: 'Audio URL', exact: true }),
  // The size picker: a radio group (a fieldset whose legend is "Size") with one radio per size,
  // whose value attribute is the wire value ('1280*720'); read it with selectedSize(), pick with
  // pickSize() (or fillForm's `size`).
  size: (page) => page.getByRole('group', { name: 'Size', exact: true }),
  sizeOption: (page, wire) => ui.size(page).locator(`input[type="radio"][value="${wire}"]`),
  duration: (page) => page.getByRole('spinbutton', { name: 'Duration', exact: true }),
  shotType: (page) => page.getByRole('combobox', { name: 'Shot type', exact: true }),
  promptExtend: (page) => page.getByRole('checkbox', { name: 'Prompt extend', exact: true }),
  watermark: (page) => page.getByRole('checkbox', { name: 'Watermark', exact: true }),
  seed: (page) => page.getByRole('textbox', { name: 'Seed', exact: true }),
  generate: (page) => page.getByRole('button', { name: 'Generate', exact: true }),
  task: (page) => ui.section(page, 'Tasks'),
  cards: (page) => ui.task(page).locator('article'),
  status: (page) => ui.task(page).getByRole('status'),
  alerts: (page) => page.getByRole('alert'),
  /**
   * The "Settings" heading's disclosure button. Settings is open while no key is set and folded
   * (a one-line summary instead of the fields) once a key and a valid endpoint are stored.
   */
  settingsToggle: (page) => ui.section(page, 'Settings').getByRole('button', { name: 'Settings', exact: true }),
  /**
   * Opens Settings if it is folded (idempotent), so its fields can be filled: folded fields stay
   * in the DOM (inputValue() reads them) but are hidden, and Playwright acts only on visible ones.
   */
  async openSettings(page) {
    const toggle = ui.settingsToggle(page);
    if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
    await waitUntil(async () => (await toggle.getAttribute('aria-expanded')) === 'true', {
      timeout: 5_000,
      message: 'Settings to open',
    });
  },
};

/** Loads the app and waits until it has mounted (the form's heading is visible). */
export async function loadApp(page, appUrl, { timeout = 30_000 } = {}) {
  await page.goto(appUrl + '/');
  await page.getByRole('heading', { name: 'New video', exact: true }).waitFor({ timeout });
}

/**
 * Loads the app and configures it through the Settings UI as a user would: opens Settings if it
 * is folded, types the key, picks "Custom URL" as the endpoint and types the simulator's URL.
 */
export async function openApp(page, { app, endpoint, key }) {
  await loadApp(page, app.url);
  if (key !== undefined || endpoint !== undefined) await ui.openSettings(page);
  if (key !== undefined) {
    const field = ui.apiKey(page);
    await field.fill(key);
    await field.blur();
  }
  if (endpoint !== undefined) {
    await ui.endpoint(page).selectOption({ label: 'Custom URL' });
    const custom = ui.customEndpoint(page);
    await custom.waitFor();
    await custom.fill(endpoint);
    await custom.blur();
  }
}

/** The wire value of the checked size (e.g. '1920*1080'). */
export async function selectedSize(page) {
  return ui.size(page).locator('input[type="radio"]:checked').inputValue();
}

/** Picks the size whose wire value is `wire` (e.g. '1280*720'), as a click on its tile does. */
export async function pickSize(page, wire) {
  await ui.sizeOption(page, wire).check();
}

/** Fills the "New video" form; only the given fields are touched. */
export async function fillForm(page, f) {
  if (f.prompt !== undefined) await ui.prompt(page).fill(f.prompt);
  if (f.negativePrompt !== undefined) await ui.negativePrompt(page).fill(f.negativePrompt);
  if (f.audioUrl !== undefined) await ui.audioUrl(page).fill(f.audioUrl);
  if (f.size !== undefined) await pickSize(page, f.size);
  if (f.duration !== undefined) await ui.duration(page).fill(String(f.duration));
  if (f.shotType !== undefined) await ui.shotType(page).selectOption(f.shotType);
  if (f.promptExtend !== undefined) await ui.promptExtend(page).setChecked(f.promptExtend);
  if (f.watermark !== undefined) await ui.watermark(page).setChecked(f.watermark);
  if (f.seed !== undefined) await ui.seed(page).fill(String(f.seed));
}

const STATUS_WORDS = ['Queued', 'Running', 'Succeeded', 'Failed', 'Canceled', 'Unknown'];
export { STATUS_WORDS };

/** Waits until the task's role="status" element shows `word` (e.g. "Running"). */
export async function waitForStatus(page, word, { timeout = 60_000 } = {}) {
  await ui.status(page).filter({ hasText: word }).first().waitFor({ timeout });
}

/** The task id shown after "Task ID" in the Task section. */
export async function shownTaskId(page, { timeout = 30_000 } = {}) {
  return waitUntil(
    async () => {
      const text = await ui.task(page).first().innerText({ timeout: 1_000 });
      return text.match(/Task ID\s*[:：]?\s*([A-Za-z0-9][A-Za-z0-9_.:-]*)/)?.[1];
    },
    { timeout, message: 'a "Task ID" in the Task section' },
  );
}

/** Waits until the page's <video> has loaded enough to play (readyState >= 2, duration > 0). */
export async function waitForVideo(page, { timeout = 30_000 } = {}) {
  await page.waitForFunction(
    () => {
      const v = document.querySelector('video');
      return !!v && v.readyState >= 2 && Number.isFinite(v.duration) && v.duration > 0;
    },
    undefined,
    { timeout },
  );
}

/** Counts Unicode scalar values, as the API does. */
export const scalars = (s) => [...s].length;

// ---------------------------------------------------------------------------------------------
// Languages
// ---------------------------------------------------------------------------------------------

/** Switches the interface language with the header switch ('en' or 'zh') and waits for it. */
export async function setLanguage(page, code) {
  await ui.language(page).selectOption(code);
  const tag = code === 'zh' ? 'zh-CN' : 'en';
  await page.waitForFunction((t) => document.documentElement.lang === t, tag, { timeout: 5_000 });
  // The texts update in the same reactive batch as <html lang>; let it paint.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
}

/**
 * The text of `locator`'s element in Chinese, then back in English. The element is pinned first
 * (a locator filtered by English text would no longer match once the page is in Chinese).
 */
export async function chineseTextOf(page, locator) {
  const handle = await locator.elementHandle();
  await setLanguage(page, 'zh');
  const text = await handle.innerText();
  await setLanguage(page, 'en');
  return text;
}
