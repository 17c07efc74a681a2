// Client-side validation: limits are checked (counting Unicode scalar values) before anything is sent.
import assert from 'node:assert/strict';
import { TEST_KEY, e2e, fillForm, openApp, scalars, shownTaskId, ui } from './harness.mjs';

const CJK = '猫'; // one scalar value, three UTF-8 bytes, one UTF-16 unit

e2e('validation: prompt over 1500 characters and seeds out of range are blocked; 1500 CJK characters are accepted', {}, async ({ app, sim, page }) => {
  await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
  const prompt = ui.prompt(page);
  const seed = ui.seed(page);

  // 1501 CJK characters: too long.
  await fillForm(page, { prompt: CJK.repeat(1501) });
  await ui.generate(page).click();
  await page.getByRole('alert').filter({ hasText: '1500' }).first().waitFor();
  assert.equal(await prompt.getAttribute('aria-invalid'), 'true', 'prompt marked invalid');
  assert.deepEqual(await sim.apiCalls(), [], 'nothing sent for a 1501-character prompt');

  // Exactly 1500 CJK characters: valid (bytes or UTF-16 units would not be 1500).
  await fillForm(page, { prompt: CJK.repeat(1500) });
  assert.match(await ui.promptCounter(page).innerText(), /1,?500\s*\/\s*1,?500/, 'counter counts characters');
  assert.notEqual(await prompt.getAttribute('aria-invalid'), 'true', '1500 characters are not invalid');
  assert.equal(await page.getByRole('alert').filter({ hasText: '1500' }).count(), 0, 'no length alert at 1500');

  // Seeds out of range.
  for (const bad of ['2147483648', '-1']) {
    await fillForm(page, { seed: bad });
    await ui.generate(page).click();
    await page.getByRole('alert').filter({ hasText: '2147483647' }).first().waitFor();
    assert.equal(await seed.getAttribute('aria-invalid'), 'true', `seed ${bad} marked invalid`);
    assert.notEqual(await prompt.getAttribute('aria-invalid'), 'true', 'prompt of 1500 is still valid');
    assert.deepEqual(await sim.apiCalls(), [], `nothing sent for seed ${bad}`);
    await seed.fill('');
  }

  // Now everything is valid: exactly one submit goes out, with all 1500 characters.
  await fillForm(page, { seed: '2147483647' });
  await ui.generate(page).click();
  await shownTaskId(page);
  assert.notEqual(await seed.getAttribute('aria-invalid'), 'true', 'the maximum seed is valid');
  const submits = await sim.submits();
  assert.equal(submits.length, 1, 'one submit once the form is valid (none earlier)');
  assert.equal(scalars(submits[0].json.input.prompt), 1500, 'the whole 1500-character prompt is sent');
  assert.equal(submits[0].json.parameters.seed, 2147483647, 'seed sent as a number');
});
