// The key goes only where the user sent it (issue 11): one test per finding of the adversarial
// review. In every test the browser's requests are recorded and the key must appear nowhere but
// in the Authorization header of calls to the endpoint the user chose; a second simulator on
// another origin stands for a host that wants the key, and must receive nothing.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { TEST_KEY, e2e, fillForm, loadApp, openApp, shownTaskId, startSim, startStaticServer, ui, waitUntil, DIST } from './harness.mjs';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const card = (page, id) => ui.task(page).getByRole('article', { name: `Task ${id}` });
const cardStatus = (page, id, word) => card(page, id).getByRole('status').filter({ hasText: word }).first();
const formAlert = (page, hasText) => ui.section(page, 'New video').getByRole('alert').filter({ hasText }).first();

/** Records every request the browser makes, with all headers and the body. */
function recordRequests(context) {
  const pending = [];
  context.on('request', (req) => {
    pending.push(
      (async () => ({
        method: req.method(),
        url: req.url(),
        headers: await req.allHeaders().catch(() => req.headers()),
        body: req.postDataBuffer()?.toString('latin1') ?? '',
      }))(),
    );
  });
  return () => Promise.all(pending);
}

/**
 * The key is in no URL and no body, and in no header but Authorization on a POST to `endpoint`
 * (the endpoint the user chose); `foreign` (another origin) received nothing at all.
 */
async function assertKeyOnlyTo(recorded, endpoint, foreign, key = TEST_KEY) {
  const requests = await recorded();
  let authorised = 0;
  for (const r of requests) {
    const where = `${r.method} ${r.url}`;
    assert.ok(!r.url.includes(key) && !decodeURIComponent(r.url).includes(key), `key in the URL of ${where}`);
    assert.ok(!r.body.includes(key), `key in the body of ${where}`);
    for (const [name, value] of Object.entries(r.headers)) {
      if (!String(value).includes(key)) continue;
      assert.equal(name.toLowerCase(), 'authorization', `key in header ${name} of ${where}`);
      assert.equal(r.url.split('?')[0], endpoint.split('?')[0], `the key was sent to ${where}`);
      assert.equal(value, key, 'the bare key, nothing else');
      authorised += 1;
    }
  }
  if (foreign) {
    assert.deepEqual(await foreign.requests(), [], 'the other host received nothing');
    assert.ok(!requests.some((r) => r.url.startsWith(foreign.url)), 'the browser never called the other host');
  }
  return authorised;
}

/** A task record as the ledger stores it (format version 1). */
function record(id, endpoint, { status = 'Running', paused = false, at = Date.now() - 10_000, prompt = `Imported ${id}` } = {}) {
  return {
    id,
    request: { prompt, negative_prompt: null, audio_url: null, size: '1280*720', duration: 5, shot_type: 'single', prompt_extend: true, watermark: false, seed: null },
    endpoint,
    submitted_at_ms: at,
    snapshot: { status, submit_time: null, scheduled_time: null, end_time: null, video_url: null, code: null, message: null },
    problem: null,
    paused,
    origin: 'Submitted',
  };
}

/** Chooses a history file (made of `tasks`) with the page's Import history button. */
async function importHistory(page, tasks, name = 'history.json') {
  const body = JSON.stringify({ format: 'wan-studio-history', version: 1, exported_at_ms: Date.now(), tasks });
  await page.getByLabel('Import history').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(body) });
}

/** The envelope DMXAPI wraps a task in, with `inner` as its JSON text. */
function envelope(inner) {
  return JSON.stringify({
    id: 'resp_sim',
    object: 'response',
    request_id: 'req-sim-1',
    output: [{ type: 'message', content: [{ type: 'output_text', text: JSON.stringify(inner) }] }],
  });
}
const raw = (on, body, extra = {}) => ({ on, raw: { status: 200, content_type: 'application/json', body }, ...extra });

async function generate(page, prompt, known = []) {
  await fillForm(page, { prompt });
  await ui.generate(page).click();
  return waitUntil(
    async () => {
      const id = await shownTaskId(page);
      return !known.includes(id) && id;
    },
    { timeout: 30_000, message: 'a new task id' },
  );
}

// 1. An imported history names another endpoint: its tasks are never polled there with the key,
//    not even "Check again" on a paused one; the user may check them at an endpoint of theirs.
e2e('an imported task at a foreign endpoint is shown as not checked and never gets the key', { pendingMs: 300, runningMs: 20_000, timeout: 150_000 }, async ({ app, sim, page, context }, t) => {
  const foreign = await startSim();
  t.after(() => foreign.stop());
  const recorded = recordRequests(context);
  await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
  // A task of the user's own, polled every 5 s while the imported ones are around.
  const own = await generate(page, 'A task of my own while the imported ones wait.');
  const backslash = `/\\${new URL(foreign.url).host}/v1/responses`;
  await importHistory(page, [
    record('foreign-running', foreign.endpoint),
    record('foreign-paused', foreign.endpoint, { paused: true }),
    record('foreign-backslash', backslash),
  ]);
  await ui.task(page).getByText('Imported 3 task(s)').first().waitFor();
  // Three of the user's own polls (5 s apart) after the import: the imported tasks, submitted
  // 10 s ago and so due 5 s after they arrive, would have been asked by now.
  const atImport = (await sim.queries()).length;
  await waitUntil(async () => (await sim.queries()).length >= atImport + 3, { timeout: 40_000, message: 'three more polls of the own task' });
  assert.deepEqual(await foreign.requests(), [], 'the imported tasks were not polled at the host the file names');
  await cardStatus(page, own, 'Succeeded').waitFor({ timeout: 40_000 });
  const host = new URL(foreign.url).host;
  for (const id of ['foreign-running', 'foreign-paused', 'foreign-backslash']) {
    await card(page, id).getByText(`this task belongs to ${host}`).waitFor();
    assert.equal(await card(page, id).getByRole('button', { name: 'Check again', exact: true }).count(), 0, `${id}: no Check again towards the other host`);
  }
  await page.reload();
  await card(page, 'foreign-running').getByText(`this task belongs to ${host}`).waitFor();
  assert.deepEqual(await foreign.requests(), [], 'nothing reached the other host, also after a reload');

  // The user chooses to check one at their own endpoint: only then is it queried, there.
  const before = (await sim.queries()).length;
  const foreignCard = card(page, 'foreign-running');
  assert.equal(await foreignCard.getByRole('combobox', { name: 'Check it at your endpoint' }).inputValue(), '0');
  await foreignCard.getByRole('button', { name: 'Check at this endpoint', exact: true }).click();
  await waitUntil(async () => (await sim.queries()).some((q) => q.json.input === 'foreign-running'), { message: 'a query at the user\'s endpoint' });
  assert.ok((await sim.queries()).length > before);
  await cardStatus(page, 'foreign-running', 'Unknown').waitFor({ timeout: 20_000 });
  assert.ok((await assertKeyOnlyTo(recorded, sim.endpoint, foreign)) > 0);
});

// 2. A key with a character an HTTP header cannot carry: named at entry, never thrown, and
//    nothing stays stuck (Generate, a running task's polling, its lock).
e2e('a key with an invisible or non-Latin-1 character is named, never crashes, and nothing stays stuck', { pendingMs: 500, runningMs: 15_000, timeout: 150_000 }, async ({ app, sim, page, context }) => {
  const recorded = recordRequests(context);
  await openApp(page, { app, endpoint: sim.endpoint });
  await ui.openSettings(page);
  // A zero-width space from a copy is removed, and the note names it.
  await ui.apiKey(page).fill(`${TEST_KEY.slice(0, 10)}\u200b${TEST_KEY.slice(10)}`);
  await ui.section(page, 'Settings').getByText('U+200B').first().waitFor();
  assert.equal(await ui.apiKey(page).inputValue(), TEST_KEY);
  const running = await generate(page, 'A task that runs while the key gets broken.');
  await cardStatus(page, running, 'Running').waitFor({ timeout: 20_000 });

  // A CJK character typed into the key: named at the field and at Generate, nothing sent.
  await ui.openSettings(page);
  await ui.apiKey(page).fill(`${TEST_KEY}中`);
  await ui.section(page, 'Settings').getByRole('alert').filter({ hasText: '“中” (U+4E2D)' }).waitFor();
  const submits = (await sim.submits()).length;
  await fillForm(page, { prompt: 'Refused before sending.' });
  await ui.generate(page).click();
  await formAlert(page, 'U+4E2D').waitFor();
  assert.equal((await sim.submits()).length, submits, 'nothing was submitted with the broken key');
  await card(page, running).getByText('this tab has no API key it can send').waitFor();

  // A newline in storage (written by something else): the page loads and says so.
  await page.evaluate((k) => localStorage.setItem('wan-studio.key.v1', `${k}\n`), TEST_KEY);
  await page.reload();
  await ui.openSettings(page);
  await ui.section(page, 'Settings').getByRole('alert').filter({ hasText: 'U+000A' }).waitFor();
  await card(page, running).getByText('this tab has no API key it can send').waitFor();

  // Corrected: the running task is polled again by itself and finishes; Generate works again.
  await ui.apiKey(page).fill(TEST_KEY);
  await cardStatus(page, running, 'Succeeded').waitFor({ timeout: 60_000 });
  const next = await generate(page, 'Generate works again once the key is fixed.', [running]);
  assert.ok(next);
  await assertKeyOnlyTo(recorded, sim.endpoint);
});

/** A copy of dist/ with a config.json beside index.html. */
async function siteWithConfig(t, config) {
  const dir = mkdtempSync(join(tmpdir(), 'wan-site-'));
  cpSync(DIST, dir, { recursive: true });
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  const server = await startStaticServer(dir);
  t.after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return server;
}

// 3. `/\host/…` reads as a path but is another host: refused in Settings and from config.json
//    (whose other fields, and other presets, survive a bad one).
e2e('a backslash path is refused as an endpoint, in Settings and from config.json', {}, async ({ sim, page, context }, t) => {
  const foreign = await startSim();
  t.after(() => foreign.stop());
  const recorded = recordRequests(context);
  const backslash = `/\\${new URL(foreign.url).host}/v1/responses`;
  const warnings = [];
  page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
  const site = await siteWithConfig(t, {
    site_name: 'Team Video Lab',
    default_endpoint: backslash,
    presets: [{ title: 'Good preset', settings: { prompt: 'a cat' } }, { title: 7 }, { title: 'Also good', settings: { prompt: 'a dog', size: '1*1' } }],
  });
  await loadApp(page, site.url);
  await page.getByRole('heading', { name: 'Team Video Lab', level: 1 }).waitFor();
  await waitUntil(() => warnings.some((w) => w.includes('default_endpoint')), { timeout: 10_000, message: 'the config.json warning' });
  assert.ok(warnings.some((w) => w.includes('backslash')), warnings.join('\n'));
  assert.equal(await ui.endpoint(page).inputValue(), 'https://www.dmxapi.cn/v1/responses', 'the bad default is not used');
  const presets = page.getByRole('combobox', { name: 'Presets', exact: true });
  assert.deepEqual((await presets.locator('option').allInnerTexts()).filter((o) => /good/i.test(o)).length, 2, 'only the bad preset was dropped');

  // Typed in Settings: refused at the field, and Generate says why.
  await ui.openSettings(page);
  await ui.apiKey(page).fill(TEST_KEY);
  await ui.endpoint(page).selectOption({ label: 'Custom URL' });
  await ui.customEndpoint(page).fill(backslash);
  await ui.section(page, 'Settings').getByRole('alert').filter({ hasText: 'backslash' }).waitFor();
  assert.equal(await page.getByText('same-origin relay').count(), 0, 'never called a same-origin relay');
  await fillForm(page, { prompt: 'Nothing may leave.' });
  await ui.generate(page).click();
  await formAlert(page, 'backslash').waitFor();
  assert.equal(await assertKeyOnlyTo(recorded, sim.endpoint, foreign), 0, 'the key was sent nowhere');
});

// 4. The key echoed inside a task reply (status, times, prompt, video link, FAILED message) and
//    in a long reply cut for display: never shown, stored or exported.
e2e('a key echoed in any field of a task reply is redacted before it is shown, stored or exported', { pendingMs: 60_000, runningMs: 60_000, timeout: 150_000 }, async ({ app, sim, page, context }) => {
  const recorded = recordRequests(context);
  await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
  const id = await generate(page, 'A task whose relay echoes the key everywhere.');
  await sim.fault(
    raw(
      'query',
      envelope({
        task_id: id,
        task_status: `WEIRD-${TEST_KEY}`,
        submit_time: TEST_KEY,
        scheduled_time: TEST_KEY,
        orig_prompt: `prompt ${TEST_KEY}`,
        video_url: `https://x.example/v.mp4?k=${TEST_KEY}`,
        message: `token ${TEST_KEY} is echoed`,
      }),
    ),
  );
  await sim.fault(raw('query', envelope({ task_id: id, task_status: 'FAILED', code: 'InvalidApiKey', message: `token ${TEST_KEY} is not valid` })));
  await cardStatus(page, id, 'Failed').waitFor({ timeout: 30_000 });
  // A plain-text reply with the key just before the 300-character cut.
  await sim.fault({ on: 'submit', text: `${'x'.repeat(290)}${TEST_KEY}${'y'.repeat(100)}` });
  await fillForm(page, { prompt: 'A refused submit with a long echo.' });
  await ui.generate(page).click();
  await formAlert(page, 'sk-…').waitFor();
  const [exported] = await Promise.all([page.waitForEvent('download'), ui.task(page).getByRole('button', { name: 'Export history', exact: true }).click()]);
  const exportText = readFileSync(await exported.path(), 'utf8');
  const fragment = TEST_KEY.slice(3, 13);
  assert.ok(exportText.includes(id) && !exportText.includes(fragment), 'the export holds the task, not the key');
  await ui.openSettings(page);
  const seen = await ui.apiKey(page).evaluate((input) => ({
    html: document.documentElement.outerHTML.replace(input.outerHTML, ''),
    stored: Object.entries(localStorage).filter(([k]) => k !== 'wan-studio.key.v1').map(([, v]) => v).join('\n'),
  }));
  assert.ok(!seen.html.includes(fragment), 'no part of the key in the page');
  assert.ok(!seen.stored.includes(fragment), 'no part of the key in storage (but its own entry)');
  assert.ok(seen.html.includes('sk-…'), 'the echo is shown masked');
  await assertKeyOnlyTo(recorded, sim.endpoint);
});

// 5. Loopback means 127.0.0.0/8 or localhost exactly, and a video link with user info is not
//    one: neither becomes a player source or an Open link.
e2e('a video link on a look-alike host or with user info is neither played nor linked', { pendingMs: 60_000, runningMs: 60_000 }, async ({ app, sim, page, context }, t) => {
  const foreign = await startSim();
  t.after(() => foreign.stop());
  const recorded = recordRequests(context);
  await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
  const links = [`http://127.0.0.1@${new URL(foreign.url).host}/video/x.mp4`, 'http://127.0.0.1.evil.example/video/x.mp4'];
  const ids = [];
  for (const video_url of links) {
    const id = await generate(page, `A task whose link is ${video_url}`, ids);
    ids.push(id);
    await sim.fault(raw('query', envelope({ task_id: id, task_status: 'SUCCEEDED', video_url })));
    await card(page, id).getByText('no usable video link').waitFor({ timeout: 20_000 });
    assert.equal(await card(page, id).locator('video').count(), 0);
    assert.equal(await card(page, id).getByRole('link', { name: 'Open' }).count(), 0);
  }
  await assertKeyOnlyTo(recorded, sim.endpoint, foreign);
});

// 6. The endpoint shown is the one called: a fragment or user info in front of a trusted name
//    and look-alike characters are refused; what is accepted is shown as the browser calls it.
e2e('the endpoint shown is exactly the one called, or it is refused', { pendingMs: 300, runningMs: 800 }, async ({ app, sim, page, context }) => {
  const recorded = recordRequests(context);
  await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
  const settings = ui.section(page, 'Settings');
  for (const [url, says] of [
    ['https://evil.example#@www.dmxapi.cn', '#'],
    ['https://www.dmxapi.cn@evil.example/v1/responses', 'user name'],
    ['https://www\uff0edmxapi\uff0ecn/v1/responses', 'U+FF0E'],
    ['https://www.dmx\u0430pi.cn/v1/responses', 'U+0430'],
    ['http://127.1:9/v1/responses', 'reads this address\'s host as 127.0.0.1'],
  ]) {
    await ui.customEndpoint(page).fill(url);
    await settings.getByRole('alert').filter({ hasText: says }).first().waitFor();
  }
  const upper = sim.endpoint.replace('http://', 'HTTP://').replace('127.0.0.1', '127.0.0.1') + '?group=a';
  await ui.customEndpoint(page).fill(upper);
  await settings.getByText(`Your browser calls ${sim.endpoint}?group=a itself`).waitFor();
  const id = await generate(page, 'Called exactly where shown.');
  await cardStatus(page, id, 'Succeeded').waitFor({ timeout: 30_000 });
  // The query string reaches the endpoint as written (no stray "&"), on the submit and the polls.
  const calls = (await sim.requests()).filter((r) => r.method === 'POST');
  assert.ok(calls.length >= 2);
  for (const c of calls) assert.equal(c.query, 'group=a', `query of ${c.path}`);
  await assertKeyOnlyTo(recorded, `${sim.endpoint}?group=a`);
});
