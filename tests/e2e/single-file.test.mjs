// Single-file build (issue 5): `scripts/single-file.mjs` turns the release build into one
// wan-studio.html that works from file:// — built here from dist/ into a temp dir (twice: the output is
// deterministic), opened as a file:// URL in a fresh profile, configured through Settings, a task run
// against the simulator to the video, then a reload shows the key and the task again (storage works).
// No CSP violation, no request to anything but the page itself and the simulator.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pathToFileURL } from 'node:url';
import { expect, test } from './fixtures.mjs';
import { DIST, ROOT, TEST_KEY, configure, fillForm, mounted, shownTaskId, storedTasks, ui, waitForStatus, waitForVideo } from './ui.mjs';

const run = promisify(execFile);
const sha256 = (text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** Runs the script as a user would (node scripts/single-file.mjs <dist> <out>) and returns its output. */
async function buildSingleFile(out) {
  const { stdout } = await run(process.execPath, [join(ROOT, 'scripts/single-file.mjs'), DIST, out], {
    cwd: ROOT,
    timeout: 30_000,
  });
  return stdout;
}

/** What `openApp` does for a served app, for a file:// URL: load, then Settings as a user would. */
async function openFile(page, url, { endpoint, key }) {
  await page.goto(url);
  await expect(mounted(page)).toBeVisible({ timeout: 30_000 });
  await configure(page, { endpoint, key });
}

test.use({ simOptions: { pendingMs: 300, runningMs: 1_500 } });

let dir;
test.afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

test('single file: wan-studio.html works from file:// (form, storage, API calls) under its own CSP', async ({ sim, page, context, pageErrors }) => {
  test.setTimeout(90_000);
  dir = mkdtempSync(join(tmpdir(), 'wan-studio-single-'));
  const file = join(dir, 'wan-studio.html');

  // --- The build: one file, nothing external, deterministic, a strict CSP that matches it ---
  const stdout = await buildSingleFile(file);
  expect(stdout, `the script prints the output path: ${stdout}`).toContain(file);
  expect(stdout, 'and its size').toMatch(/\d[\d,]* bytes/);
  await buildSingleFile(join(dir, 'again.html'));
  const html = readFileSync(file, 'utf8');
  expect(html === readFileSync(join(dir, 'again.html'), 'utf8'), 'two runs give the same bytes').toBe(true);

  expect(html, 'no stylesheet or preload links').not.toMatch(/<link\b[^>]*rel="?(stylesheet|modulepreload|preload)/i);
  expect(html, 'no external script').not.toMatch(/<script\b[^>]*\bsrc=/i);
  expect(html, 'no integrity attributes').not.toMatch(/\bintegrity=/i);
  expect(html, 'no src/href to a .js/.wasm/.css file').not.toMatch(/\b(src|href)=["']?[^"'\s>]*\.(js|wasm|css)\b/i);
  const scripts = [...html.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/gi)].map((m) => m[1]);
  const styles = [...html.matchAll(/<style[^>]*>([\s\S]*?)<\/style>/gi)].map((m) => m[1]);
  expect(scripts.length, "two inline scripts: index.html's boot script (theme, language) and the module").toBe(2);
  expect(styles.length, 'one inline style block').toBe(1);
  const csp = html.match(/<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/)?.[1];
  expect(csp, 'a CSP meta tag').toBeTruthy();
  expect(csp, csp).not.toMatch(/'unsafe-inline'|'unsafe-eval'|blob:.*script|data:.*script/);
  expect(csp, csp).toMatch(/(^|; )default-src 'none'(;|$)/);
  expect(csp, "script-src = wasm + the scripts' hashes").toContain(`script-src 'wasm-unsafe-eval' ${scripts.map(sha256).join(' ')};`);
  expect(csp, "style-src = the style block's hash").toContain(`style-src ${sha256(styles[0])};`);
  expect(csp).toMatch(/object-src 'none'/);

  // --- In the browser, from file:// ---
  const violations = [];
  const errors = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    if (m.type() === 'error') errors.push({ text: m.text(), url: m.location()?.url ?? '' });
  });
  const requests = [];
  context.on('request', (r) => requests.push(r.url()));
  const url = pathToFileURL(file).href;
  await openFile(page, url, { endpoint: sim.endpoint, key: TEST_KEY });
  expect(await page.evaluate(() => location.protocol)).toBe('file:');

  await fillForm(page, { prompt: 'A paper boat drifting down a rainy street, seen from above.', duration: 5 });
  await ui.generate(page).click();
  const taskId = await shownTaskId(page);
  await waitForStatus(page, 'Succeeded', { timeout: 30_000 });
  await waitForVideo(page);

  const submits = await sim.submits();
  expect(submits.length, 'one submit').toBe(1);
  expect(submits[0].headers.authorization, 'the key went in Authorization').toBe(TEST_KEY);
  expect(submits[0].headers.origin, "a file:// page's requests carry Origin: null").toBe('null');
  expect((await sim.queries()).length, 'the task was polled').toBeGreaterThanOrEqual(1);

  // --- Storage: a reload of the file brings back the key, the endpoint and the task ---
  await page.reload();
  await expect(mounted(page)).toBeVisible({ timeout: 30_000 });
  await ui.openSettings(page);
  await expect(ui.apiKey(page), 'key kept in local storage').toHaveValue(TEST_KEY);
  await expect(ui.customEndpoint(page), 'endpoint kept').toHaveValue(sim.endpoint);
  expect(await shownTaskId(page), 'the task is still there').toBe(taskId);
  await waitForStatus(page, 'Succeeded', { timeout: 10_000 });
  await waitForVideo(page);
  expect(await storedTasks(page, 'id'), 'the task is in the ledger').toContain(taskId);
  expect((await sim.submits()).length, 'never re-submitted').toBe(1);

  // --- Nothing refused by the CSP; nothing loaded but the file and the simulator ---
  expect(violations, `CSP violations:\n${violations.join('\n')}`).toEqual([]);
  expect(pageErrors).toEqual([]);
  const config = pathToFileURL(join(dir, 'config.json')).href;
  // blob: URLs are the page's own memory (the kept video it plays), not a request anywhere.
  const foreign = requests.filter((r) => r !== url && r !== config && !r.startsWith(sim.url + '/') && !r.startsWith('blob:'));
  expect(foreign, 'requests other than the file, config.json and the simulator').toEqual([]);
  // The one expected console error (with its "Failed to load resource"): the team config.json cannot be
  // read from file:// (documented).
  const unexpected = errors.filter((e) => !e.text.includes(config) && e.url !== config).map((e) => `${e.text} (${e.url})`);
  expect(unexpected, `unexpected console errors:\n${unexpected.join('\n')}`).toEqual([]);
});
