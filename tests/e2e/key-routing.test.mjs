// The key goes only where the user sent it (issue 11): one test per finding of the adversarial
// review. In every test the browser's requests are recorded and the key must appear nowhere but
// in the Authorization header of calls to the endpoint the user chose; a second simulator on
// another origin (`otherSim`) stands for a host that wants the key, and must receive nothing.
import { readFileSync } from 'node:fs';
import { expect, test } from './fixtures.mjs';
import { TEST_KEY, configure, expectKeyOnlyTo, fillForm, loadApp, openApp, recordRequests, shownTaskId, ui } from './ui.mjs';

const { card, cardStatus, formAlert } = ui;
const settingsAlert = (page, hasText) => ui.section(page, 'Settings').getByRole('alert').filter({ hasText }).first();

/** A task record as the ledger stores it (format version 1). */
function record(id, endpoint, { status = 'Running', paused = false, at = Date.now() - 10_000, prompt = `Imported ${id}` } = {}) {
  return {
    id,
    request: { prompt, negative_prompt: null, audio_url: null, size: '1280*720', duration: 5, shot_type: 'single', prompt_extend: true, watermark: false, seed: null },
    endpoint,
    submitted_at_ms: at,
    snapshot: { status, submit_time: null, scheduled_time: null, end_time: null, video_url: null, code: null, message: null },
    paused,
    origin: 'Submitted',
  };
}

/** Chooses a history file made of `tasks` with the page's Import history button. */
async function importHistory(page, tasks) {
  const body = JSON.stringify({ format: 'wan-studio-history', version: 1, exported_at_ms: Date.now(), tasks });
  await page.getByLabel('Import history').setInputFiles({ name: 'history.json', mimeType: 'application/json', buffer: Buffer.from(body) });
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
const rawReply = (on, body) => ({ on, raw: { status: 200, content_type: 'application/json', body } });

async function generate(page, prompt, known = []) {
  await fillForm(page, { prompt });
  await ui.generate(page).click();
  return shownTaskId(page, { known });
}

test.describe('imported tasks', () => {
  test.use({ simOptions: { pendingMs: 300, runningMs: 20_000 } });

  // 1. An imported history names another endpoint: its tasks are never polled there with the key,
  //    not even "Check again" on a paused one; the user may check them at an endpoint of theirs.
  test('an imported task at a foreign endpoint is shown as not checked and never gets the key', async ({ app, sim, otherSim, page, context }) => {
    test.setTimeout(150_000);
    const recorded = recordRequests(context);
    await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
    // A task of the user's own, polled every 5 s while the imported ones are around.
    const own = await generate(page, 'A task of my own while the imported ones wait.');
    const host = new URL(otherSim.url).host;
    await importHistory(page, [
      record('foreign-running', otherSim.endpoint),
      record('foreign-paused', otherSim.endpoint, { paused: true }),
      record('foreign-backslash', `/\\${host}/v1/responses`),
    ]);
    await expect(page.getByText('Imported 3 task(s)').first()).toBeVisible();
    // Three of the user's own polls (5 s apart) after the import: the imported tasks, submitted
    // 10 s ago and so due 5 s after they arrive, would have been asked by now.
    const atImport = (await sim.queries()).length;
    await expect.poll(async () => (await sim.queries()).length, { timeout: 40_000, message: 'three more polls of the own task' }).toBeGreaterThanOrEqual(atImport + 3);
    expect(await otherSim.requests(), 'the imported tasks were not polled at the host the file names').toEqual([]);
    await expect(cardStatus(page, own, 'Succeeded')).toBeVisible({ timeout: 40_000 });
    for (const id of ['foreign-running', 'foreign-paused', 'foreign-backslash']) {
      await expect(card(page, id).getByText(`this task belongs to ${host}`)).toBeVisible();
      await expect(card(page, id).getByRole('button', { name: 'Check again', exact: true }), `${id}: no Check again towards the other host`).toHaveCount(0);
    }
    await page.reload();
    await expect(card(page, 'foreign-running').getByText(`this task belongs to ${host}`)).toBeVisible();
    expect(await otherSim.requests(), 'nothing reached the other host, also after a reload').toEqual([]);

    // The user chooses to check one at their own endpoint: only then is it queried, there.
    const foreignCard = card(page, 'foreign-running');
    await expect(foreignCard.getByRole('combobox', { name: 'Check it at your endpoint' })).toHaveValue('0');
    await foreignCard.getByRole('button', { name: 'Check at this endpoint', exact: true }).click();
    await expect.poll(async () => (await sim.queries()).some((q) => q.json.input === 'foreign-running'), { message: "a query at the user's endpoint" }).toBe(true);
    await expect(cardStatus(page, 'foreign-running', 'Unknown')).toBeVisible({ timeout: 20_000 });
    expect(await expectKeyOnlyTo(recorded, sim.endpoint, { other: otherSim })).toBeGreaterThan(0);
  });
});

test.describe('keys', () => {
  test.use({ simOptions: { pendingMs: 500, runningMs: 15_000 } });

  // 2. A key with a character an HTTP header cannot carry: named at entry, never thrown, and
  //    nothing stays stuck (Generate, a running task's polling, its lock).
  test('a key with an invisible or non-Latin-1 character is named, never crashes, and nothing stays stuck', async ({ app, sim, page, context }) => {
    test.setTimeout(150_000);
    const recorded = recordRequests(context);
    await openApp(page, { app, endpoint: sim.endpoint });
    await ui.openSettings(page);
    // A zero-width space from a copy is removed, and the note names it.
    await ui.apiKey(page).fill(`${TEST_KEY.slice(0, 10)}\u200b${TEST_KEY.slice(10)}`);
    await expect(ui.section(page, 'Settings').getByText('U+200B').first()).toBeVisible();
    await expect(ui.apiKey(page)).toHaveValue(TEST_KEY);
    const running = await generate(page, 'A task that runs while the key gets broken.');
    await expect(cardStatus(page, running, 'Running')).toBeVisible({ timeout: 20_000 });

    // A CJK character typed into the key: named at the field and at Generate, nothing sent.
    await ui.openSettings(page);
    await ui.apiKey(page).fill(`${TEST_KEY}中`);
    await expect(settingsAlert(page, '“中” (U+4E2D)')).toBeVisible();
    const submits = (await sim.submits()).length;
    await fillForm(page, { prompt: 'Refused before sending.' });
    await ui.generate(page).click();
    await expect(formAlert(page, 'U+4E2D')).toBeVisible();
    expect((await sim.submits()).length, 'nothing was submitted with the broken key').toBe(submits);
    await expect(card(page, running).getByText('this tab has no API key it can send')).toBeVisible();

    // A newline in storage (written by something else): the page loads and says so.
    await page.evaluate((k) => localStorage.setItem('wan-studio.key.v1', `${k}\n`), TEST_KEY);
    await page.reload();
    await ui.openSettings(page);
    await expect(settingsAlert(page, 'U+000A')).toBeVisible();
    await expect(card(page, running).getByText('this tab has no API key it can send')).toBeVisible();

    // Corrected: the running task is polled again by itself and finishes; Generate works again.
    await ui.apiKey(page).fill(TEST_KEY);
    await expect(cardStatus(page, running, 'Succeeded')).toBeVisible({ timeout: 60_000 });
    await generate(page, 'Generate works again once the key is fixed.', [running]);
    await expectKeyOnlyTo(recorded, sim.endpoint);
  });
});

// 3. `/\host/…` reads as a path but is another host: refused in Settings and from config.json
//    (whose other fields, and other presets, survive a bad one).
test('a backslash path is refused as an endpoint, in Settings and from config.json', async ({ sim, otherSim, page, context, tempSite }) => {
  const recorded = recordRequests(context);
  const backslash = `/\\${new URL(otherSim.url).host}/v1/responses`;
  const warnings = [];
  page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
  const site = await tempSite({
    files: {
      'config.json': JSON.stringify({
        site_name: 'Team Video Lab',
        default_endpoint: backslash,
        presets: [{ title: 'Good preset', settings: { prompt: 'a cat' } }, { title: 7 }, { title: 'Also good', settings: { prompt: 'a dog', size: '1*1' } }],
      }),
    },
  });
  await loadApp(page, site.url);
  await expect(page.getByRole('heading', { name: 'Team Video Lab', level: 1 })).toBeVisible();
  await expect.poll(() => warnings.some((w) => w.includes('default_endpoint')), { message: 'the config.json warning' }).toBe(true);
  expect(warnings.some((w) => w.includes('backslash')), warnings.join('\n')).toBe(true);
  await expect(ui.endpoint(page), 'the bad default is not used').toHaveValue('https://www.dmxapi.cn/v1/responses');
  const presets = page.getByRole('combobox', { name: 'Presets', exact: true });
  await expect(presets.locator('option').filter({ hasText: /good/i }), 'only the bad preset was dropped').toHaveCount(2);

  // Typed in Settings: refused at the field, and Generate says why.
  await configure(page, { key: TEST_KEY });
  await ui.endpoint(page).selectOption({ label: 'Custom URL' });
  await ui.customEndpoint(page).fill(backslash);
  await expect(settingsAlert(page, 'backslash')).toBeVisible();
  await expect(page.getByText('same-origin relay'), 'never called a same-origin relay').toHaveCount(0);
  await fillForm(page, { prompt: 'Nothing may leave.' });
  await ui.generate(page).click();
  await expect(formAlert(page, 'backslash')).toBeVisible();
  expect(await expectKeyOnlyTo(recorded, sim.endpoint, { other: otherSim }), 'the key was sent nowhere').toBe(0);
});

test.describe('relay replies', () => {
  test.use({ simOptions: { pendingMs: 60_000, runningMs: 60_000 } });

  // 4. The key echoed inside a task reply (status, times, prompt, video link, FAILED message) and
  //    in a long reply cut for display: never shown, stored or exported.
  test('a key echoed in any field of a task reply is redacted before it is shown, stored or exported', async ({ app, sim, page, context }) => {
    test.setTimeout(150_000);
    const recorded = recordRequests(context);
    await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
    const id = await generate(page, 'A task whose relay echoes the key everywhere.');
    await sim.fault(
      rawReply(
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
    await sim.fault(rawReply('query', envelope({ task_id: id, task_status: 'FAILED', code: 'InvalidApiKey', message: `token ${TEST_KEY} is not valid` })));
    await expect(cardStatus(page, id, 'Failed')).toBeVisible({ timeout: 30_000 });
    // A plain-text reply with the key just before the 300-character cut.
    await sim.fault({ on: 'submit', text: `${'x'.repeat(290)}${TEST_KEY}${'y'.repeat(100)}` });
    await fillForm(page, { prompt: 'A refused submit with a long echo.' });
    await ui.generate(page).click();
    await expect(formAlert(page, 'sk-…')).toBeVisible();
    const [exported] = await Promise.all([page.waitForEvent('download'), ui.task(page).getByRole('button', { name: 'Export history', exact: true }).click()]);
    const exportText = readFileSync(await exported.path(), 'utf8');
    const fragment = TEST_KEY.slice(3, 13);
    expect(exportText.includes(id) && !exportText.includes(fragment), 'the export holds the task, not the key').toBe(true);
    await ui.openSettings(page);
    const seen = await ui.apiKey(page).evaluate((input) => ({
      html: document.documentElement.outerHTML.replace(input.outerHTML, ''),
      stored: Object.entries(localStorage)
        .filter(([k]) => k !== 'wan-studio.key.v1')
        .map(([, v]) => v)
        .join('\n'),
    }));
    expect(seen.html.includes(fragment), 'no part of the key in the page').toBe(false);
    expect(seen.stored.includes(fragment), 'no part of the key in storage (but its own entry)').toBe(false);
    expect(seen.html.includes('sk-…'), 'the echo is shown masked').toBe(true);
    await expectKeyOnlyTo(recorded, sim.endpoint);
  });

  // 5. Loopback means 127.0.0.0/8 or localhost exactly, and a video link with user info is not
  //    one: neither becomes a player source or an Open link.
  test('a video link on a look-alike host or with user info is neither played nor linked', async ({ app, sim, otherSim, page, context }) => {
    const recorded = recordRequests(context);
    await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
    const links = [`http://127.0.0.1@${new URL(otherSim.url).host}/video/x.mp4`, 'http://127.0.0.1.evil.example/video/x.mp4'];
    const ids = [];
    for (const video_url of links) {
      const id = await generate(page, `A task whose link is ${video_url}`, ids);
      ids.push(id);
      await sim.fault(rawReply('query', envelope({ task_id: id, task_status: 'SUCCEEDED', video_url })));
      await expect(card(page, id).getByText('no usable video link')).toBeVisible({ timeout: 20_000 });
      await expect(card(page, id).locator('video')).toHaveCount(0);
      await expect(card(page, id).getByRole('link', { name: 'Open' })).toHaveCount(0);
    }
    await expectKeyOnlyTo(recorded, sim.endpoint, { other: otherSim });
  });
});

test.describe('endpoints', () => {
  test.use({ simOptions: { pendingMs: 300, runningMs: 800 } });

  // 6. The endpoint shown is the one called: a fragment or user info in front of a trusted name
  //    and look-alike characters are refused; what is accepted is shown as the browser calls it.
  test('the endpoint shown is exactly the one called, or it is refused', async ({ app, sim, page, context }) => {
    const recorded = recordRequests(context);
    await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
    for (const [url, says] of [
      ['https://evil.example#@www.dmxapi.cn', '#'],
      ['https://www.dmxapi.cn@evil.example/v1/responses', 'user name'],
      ['https://www\uff0edmxapi\uff0ecn/v1/responses', 'U+FF0E'],
      ['https://www.dmx\u0430pi.cn/v1/responses', 'U+0430'],
      ['http://127.1:9/v1/responses', "reads this address's host as 127.0.0.1"],
    ]) {
      await ui.customEndpoint(page).fill(url);
      await expect(settingsAlert(page, says)).toBeVisible();
    }
    await ui.customEndpoint(page).fill(`${sim.endpoint.replace('http://', 'HTTP://')}?group=a`);
    await expect(ui.section(page, 'Settings').getByText(`Your browser calls ${sim.endpoint}?group=a itself`)).toBeVisible();
    const id = await generate(page, 'Called exactly where shown.');
    await expect(cardStatus(page, id, 'Succeeded')).toBeVisible({ timeout: 30_000 });
    // The query string reaches the endpoint as written (no stray "&"), on the submit and the polls.
    const calls = (await sim.requests()).filter((r) => r.method === 'POST');
    expect(calls.length).toBeGreaterThanOrEqual(2);
    for (const c of calls) expect(c.query, `query of ${c.path}`).toBe('group=a');
    await expectKeyOnlyTo(recorded, `${sim.endpoint}?group=a`);
  });
});
