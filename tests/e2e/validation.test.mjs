// Client-side validation: limits are checked (counting Unicode scalar values) before anything is sent.
import { expect, test } from './fixtures.mjs';
import { TEST_KEY, fillForm, openApp, scalars, shownTaskId, ui } from './ui.mjs';

const CJK = '猫'; // one scalar value, three UTF-8 bytes, one UTF-16 unit

test('validation: prompt over 1500 characters and seeds out of range are blocked; 1500 CJK characters are accepted', async ({ app, sim, page }) => {
  await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
  const prompt = ui.prompt(page);
  const seed = ui.seed(page);

  // 1501 CJK characters: too long.
  await fillForm(page, { prompt: CJK.repeat(1501) });
  await ui.generate(page).click();
  await expect(page.getByRole('alert').filter({ hasText: '1500' }).first()).toBeVisible();
  await expect(prompt, 'prompt marked invalid').toHaveAttribute('aria-invalid', 'true');
  expect(await sim.apiCalls(), 'nothing sent for a 1501-character prompt').toEqual([]);

  // Exactly 1500 CJK characters: valid (bytes or UTF-16 units would not be 1500).
  await fillForm(page, { prompt: CJK.repeat(1500) });
  await expect(ui.promptCounter(page), 'counter counts characters').toHaveText(/1,?500\s*\/\s*1,?500/);
  await expect(prompt, '1500 characters are not invalid').not.toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('alert').filter({ hasText: '1500' }), 'no length alert at 1500').toHaveCount(0);

  // Seeds out of range.
  for (const bad of ['2147483648', '-1']) {
    await fillForm(page, { seed: bad });
    await ui.generate(page).click();
    await expect(page.getByRole('alert').filter({ hasText: '2147483647' }).first()).toBeVisible();
    await expect(seed, `seed ${bad} marked invalid`).toHaveAttribute('aria-invalid', 'true');
    await expect(prompt, 'prompt of 1500 is still valid').not.toHaveAttribute('aria-invalid', 'true');
    expect(await sim.apiCalls(), `nothing sent for seed ${bad}`).toEqual([]);
    await seed.fill('');
  }

  // Now everything is valid: exactly one submit goes out, with all 1500 characters.
  await fillForm(page, { seed: '2147483647' });
  await ui.generate(page).click();
  await shownTaskId(page);
  await expect(seed, 'the maximum seed is valid').not.toHaveAttribute('aria-invalid', 'true');
  const submits = await sim.submits();
  expect(submits, 'one submit once the form is valid (none earlier)').toHaveLength(1);
  expect(scalars(submits[0].json.input.prompt), 'the whole 1500-character prompt is sent').toBe(1500);
  expect(submits[0].json.parameters.seed, 'seed sent as a number').toBe(2147483647);
});

test('after a refused Generate, the line under it names what needs fixing in the mode shown, and goes once nothing does', async ({ app, sim, page }) => {
  await openApp(page, { app, endpoint: sim.endpoint, key: TEST_KEY });
  const mode = page.getByRole('combobox', { name: 'Model and mode', exact: true });
  const line = page.getByText(/^Not sent: \d+ field\(s\) need fixing first/);
  await mode.selectOption('wan2.7-continue');
  await ui.generate(page).click();
  await expect(line).toContainText('Clip to continue');
  // Another mode: its own problems (the prompt), never the last mode's clip.
  await mode.selectOption('wan2.6-t2v');
  await ui.prompt(page).fill('');
  await expect(line).toContainText('Prompt');
  await expect(line).not.toContainText('Clip to continue');
  await ui.prompt(page).fill('a quiet harbour at dawn');
  await expect(line).toHaveCount(0);
  expect(await sim.submits()).toHaveLength(0);
});
