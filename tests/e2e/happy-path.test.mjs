// The seed page's own example, end to end: configure, submit, watch it queue and run, play the video;
// then check on the simulator's side exactly what went over the wire.
import assert from 'node:assert/strict';
import {
  TEST_KEY,
  e2e,
  fillForm,
  fixture,
  openApp,
  selectedSize,
  shownTaskId,
  ui,
  waitForStatus,
  waitForVideo,
} from './harness.mjs';

e2e('happy path: the fixture request is sent as-is, the task runs and the video plays', { pendingMs: 1_500, runningMs: 8_000 }, async ({ app, sim, page }) => {
  const submitFixture = fixture('submit-request.json');
  await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });

  // Defaults of the form and settings.
  assert.equal(await ui.asyncHeader(page).isChecked(), true, 'async header is sent by default');
  assert.equal(await selectedSize(page), '1920*1080', 'default size');
  assert.equal(await ui.duration(page).inputValue(), '5', 'default duration');
  assert.equal(await ui.shotType(page).inputValue(), 'single', 'default shot type');
  assert.equal(await ui.promptExtend(page).isChecked(), true, 'prompt extend on by default');
  assert.equal(await ui.watermark(page).isChecked(), false, 'watermark off by default');
  assert.match(await ui.promptCounter(page).innerText(), /^\s*0\s*\/\s*1,?500\s*$/, 'empty prompt counter');

  await fillForm(page, {
    prompt: submitFixture.input.prompt,
    audioUrl: submitFixture.input.audio_url,
    size: '1920*1080',
    duration: 10,
    shotType: 'multi',
    promptExtend: true,
    watermark: false,
    seed: 666,
  });
  await ui.generate(page).click();

  const taskId = await shownTaskId(page);
  await waitForStatus(page, 'Running', { timeout: 30_000 });
  await ui.task(page).first().getByText('Elapsed').first().waitFor();

  await waitForStatus(page, 'Succeeded', { timeout: 60_000 });
  const video = ui.task(page).locator('video').first();
  await video.waitFor();
  assert.notEqual(await video.getAttribute('controls'), null, '<video> has controls');
  const videoUrl = await video.getAttribute('src');
  assert.ok(videoUrl?.startsWith(`${sim.url}/video/`), `video src is the simulator's video URL, got ${videoUrl}`);
  await waitForVideo(page);
  const open = ui.task(page).getByRole('link', { name: 'Open', exact: true });
  assert.equal(await open.getAttribute('href'), videoUrl, '"Open" links to the video');
  await ui.task(page).getByRole('button', { name: 'Copy link', exact: true }).waitFor();
  await ui.task(page).getByRole('button', { name: 'Download', exact: true }).waitFor();
  await ui.task(page).getByText(/Link expires in/).first().waitFor();

  // --- What the simulator saw ---
  const requests = await sim.requests();
  const submits = await sim.submits();
  assert.equal(submits.length, 1, 'exactly one submit');
  const submit = submits[0];
  const expected = structuredClone(submitFixture);
  delete expected.input.negative_prompt; // empty optional fields are omitted
  assert.deepEqual(submit.json, expected, 'submit body = fixture without the empty negative_prompt');
  assert.equal(submit.headers.authorization, TEST_KEY, 'Authorization is the bare key');
  assert.match(submit.headers['content-type'] ?? '', /^application\/json\b/, 'JSON content type');
  assert.equal(submit.headers['x-dashscope-async'], 'enable', 'X-DashScope-Async: enable');

  const queries = await sim.queries();
  assert.ok(queries.length >= 1, 'the task was polled');
  for (const q of queries) {
    assert.deepEqual(q.json, { model: 'wan2.6-get', input: taskId }, 'query body asks for the task id the UI shows');
    assert.equal(q.headers.authorization, TEST_KEY, 'queries carry the key');
    assert.ok(q.at_ms >= submit.at_ms, 'queries come after the submit');
  }

  // The key travels in Authorization and nowhere else.
  for (const r of requests) {
    const where = `${r.method} ${r.path}`;
    assert.ok(!String(r.path).includes(TEST_KEY), `key in path of ${where}`);
    assert.ok(!JSON.stringify(r.query ?? '').includes(TEST_KEY), `key in query of ${where}`);
    assert.ok(!JSON.stringify(r.body ?? '').includes(TEST_KEY), `key in body of ${where}`);
    for (const [name, value] of Object.entries(r.headers ?? {})) {
      if (name === 'authorization') continue;
      assert.ok(!String(value).includes(TEST_KEY), `key in header ${name} of ${where}`);
    }
  }
});
