// The seed page's own example, end to end: configure, submit, watch it queue and run, play the video;
// then check on the simulator's side exactly what went over the wire.
import { expect, test } from './fixtures.mjs';
import { TEST_KEY, cardAction, fillForm, fixture, openApp, selectedSize, shownTaskId, storedTasks, ui, waitForStatus, waitForVideo } from './ui.mjs';

test.use({ simOptions: { pendingMs: 1_500, runningMs: 8_000 } });

test('happy path: the fixture request is sent as-is, the task runs and the video plays', async ({ app, sim, page }) => {
  const submitFixture = fixture('submit-request.json');
  await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });

  // Defaults of the form and settings.
  await expect(ui.asyncHeader(page), 'async header is sent by default').toBeChecked();
  expect(await selectedSize(page), 'default size').toBe('1920*1080');
  await expect(ui.duration(page), 'default duration').toHaveValue('5');
  await expect(ui.shotType(page), 'default shot type').toHaveValue('single');
  await expect(ui.promptExtend(page), 'prompt extend on by default').toBeChecked();
  await expect(ui.watermark(page), 'watermark off by default').not.toBeChecked();
  await expect(ui.promptCounter(page), 'empty prompt counter').toHaveText(/^\s*0\s*\/\s*1,?500\s*$/);

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
  await expect(ui.task(page).first().getByText('Elapsed').first()).toBeVisible();

  await waitForStatus(page, 'Succeeded', { timeout: 60_000 });
  const video = ui.task(page).locator('video').first();
  await expect(video).toBeVisible();
  await expect(video, '<video> has controls').toHaveAttribute('controls');
  const id = taskId;
  // Kept in the browser as it succeeded (the default): the player plays the kept copy.
  await expect(ui.card(page, id).getByText(/^Kept in this browser/)).toBeVisible();
  await expect(video).toHaveAttribute('src', /^blob:/);
  await waitForVideo(page);
  const videoUrl = (await storedTasks(page)).find((t) => t.id === id).snapshot.video_url;
  expect(videoUrl?.startsWith(`${sim.url}/video/`), `the result is the simulator's video URL, got ${videoUrl}`).toBe(true);
  await expect(ui.card(page, id).getByRole('button', { name: 'Download', exact: true }), 'Download is the take\'s primary action').toBeVisible();
  await expect(await cardAction(page, id, 'Open', 'link'), '"Open" links to the video').toHaveAttribute('href', videoUrl);
  await expect(await cardAction(page, id, 'Copy link')).toBeVisible();

  // --- What the simulator saw ---
  const requests = await sim.requests();
  const submits = await sim.submits();
  expect(submits, 'exactly one submit').toHaveLength(1);
  const submit = submits[0];
  const expected = structuredClone(submitFixture);
  delete expected.input.negative_prompt; // empty optional fields are omitted
  expect(submit.json, 'submit body = fixture without the empty negative_prompt').toEqual(expected);
  expect(submit.headers.authorization, 'Authorization is the bare key').toBe(TEST_KEY);
  expect(submit.headers['content-type'] ?? '', 'JSON content type').toMatch(/^application\/json\b/);
  expect(submit.headers['x-dashscope-async'], 'X-DashScope-Async: enable').toBe('enable');

  const queries = await sim.queries();
  expect(queries.length, 'the task was polled').toBeGreaterThanOrEqual(1);
  for (const q of queries) {
    expect(q.json, 'query body asks for the task id the UI shows').toEqual({ model: 'wan2.6-get', input: taskId });
    expect(q.headers.authorization, 'queries carry the key').toBe(TEST_KEY);
    expect(q.at_ms, 'queries come after the submit').toBeGreaterThanOrEqual(submit.at_ms);
  }

  // The key travels in Authorization and nowhere else.
  for (const r of requests) {
    const where = `${r.method} ${r.path}`;
    expect(String(r.path), `key in path of ${where}`).not.toContain(TEST_KEY);
    expect(JSON.stringify(r.query ?? ''), `key in query of ${where}`).not.toContain(TEST_KEY);
    expect(JSON.stringify(r.body ?? ''), `key in body of ${where}`).not.toContain(TEST_KEY);
    for (const [name, value] of Object.entries(r.headers ?? {})) {
      if (name === 'authorization') continue;
      expect(String(value), `key in header ${name} of ${where}`).not.toContain(TEST_KEY);
    }
  }
});
