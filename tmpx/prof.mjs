import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../scripts/lib/chromium.mjs';
import { startStaticServer } from '../scripts/lib/static-server.mjs';
const dist = process.argv[2] ?? 'dist';
const server = await startStaticServer(dist, { host: true });
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
const ctx = await browser.newContext({ viewport: { width: 412, height: 823 } });
const page = await ctx.newPage();
const cdp = await ctx.newCDPSession(page);
await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
await cdp.send('Tracing.start', { categories: 'devtools.timeline,v8,v8.wasm,disabled-by-default-devtools.timeline', transferMode: 'ReturnAsStream' });
await page.goto(server.url + '/');
await page.getByRole('heading', { name: 'New video', exact: true }).waitFor();
await page.waitForTimeout(1000);
const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
await cdp.send('Tracing.end');
const { stream } = await done;
let data = '';
for (;;) { const c = await cdp.send('IO.read', { handle: stream }); data += c.data; if (c.eof) break; }
const events = JSON.parse(data).traceEvents ?? JSON.parse(data);
// main thread: find the renderer main thread tid (CrRendererMain)
const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
const mine = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur);
const long = mine.filter((e) => e.name === 'RunTask' && e.dur > 50000).sort((a,b)=>a.ts-b.ts);
for (const t of long) {
  const inside = mine.filter((e) => e.ts >= t.ts && e.ts + e.dur <= t.ts + t.dur && e !== t);
  const by = new Map();
  for (const e of inside) by.set(e.name, (by.get(e.name) ?? 0) + e.dur);
  console.log('long task', (t.dur/1000).toFixed(0), 'ms:', [...by].sort((a,b)=>b[1]-a[1]).slice(0,14).map(([n,d])=>`${n} ${(d/1000).toFixed(0)}`).join(', '));
}
await browser.close(); await server.close();
