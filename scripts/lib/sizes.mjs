// File sizes as the project reports them: raw, gzip -9 and brotli -q 11 (node's zlib only). Used by
// scripts/sizes.mjs, scripts/size-check.mjs, scripts/bench.mjs, and (the compressors) the static
// server's host mode; walk() also by scripts/pwa.mjs.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** Every file below `dir` (recursively), as paths joined onto `dir`, sorted. */
export function walk(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]))
    .sort();
}

/** gzip at level 9. */
export const gzip = (buf) => gzipSync(buf, { level: 9 });

/** brotli at quality 11, with the size hint. */
export const brotli = (buf) =>
  brotliCompressSync(buf, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: buf.length },
  });

/** `{ raw, gzip, brotli }` byte counts of one buffer. */
export const sizes = (buf) => ({ raw: buf.length, gzip: gzip(buf).length, brotli: brotli(buf).length });

/** `1,234 B` */
export const fmtBytes = (n) => `${n.toLocaleString('en-US')} B`;
