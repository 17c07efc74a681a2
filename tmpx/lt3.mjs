import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../scripts/lib/chromium.mjs';
import { startStaticServer } from '../scripts/lib/static-server.mjs';
const dist = process.argv[2] ?? 'dist';
const server = await startStaticServer(dist, { host: true });
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
const runs = +(process.argv[3] ?? 5);
const all = [];
for (let i = 0; i < runs; i++) {
  const ctx = await browser.newContext({ viewport: { width: 412, height: 823 }, deviceScaleFactor: 1.75, isMobile: true, hasTouch: true });
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });

  await page.addInitScript(() => { window.__lt = []; new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__lt.push([Math.round(e.startTime), Math.round(e.duration)]); }).observe({ type: 'longtask', buffered: true });
    window.__lcp = []; new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__lcp.push([Math.round(e.startTime), e.size, e.element?.tagName + '.' + (e.element?.className||'') + ' ' + (e.element?.closest('.first-screen') ? 'SHELL' : 'app') + ' ' + (e.element?.textContent||'').slice(0,30)]); }).observe({ type: 'largest-contentful-paint', buffered: true }); });
  await page.route('**/*.wasm', (r) => r.abort()); await page.goto(server.url + '/');
  await page.waitForTimeout(1000);
  await page.waitForTimeout(1500);
  const r = await page.evaluate(() => ({ lt: window.__lt, lcp: window.__lcp }));
  const tbt = r.lt.reduce((a, [, d]) => a + Math.max(0, d - 50), 0);
  console.log('long tasks', JSON.stringify(r.lt), 'TBT~', tbt, 'LCP', JSON.stringify(r.lcp));
  all.push(tbt);
  await ctx.close();
}
console.log('median TBT~', all.sort((a,b)=>a-b)[Math.floor(all.length/2)]);
await browser.close(); await server.close();
