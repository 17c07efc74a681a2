#!/usr/bin/env node
// Prints the size of every file in a build directory (default: dist/) raw, gzip -9 and brotli -q 11,
// using only node's zlib. Usage: node scripts/sizes.mjs [dir]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const dir = process.argv[2] ?? 'dist';

function walk(d) {
  return readdirSync(d).flatMap((name) => {
    const p = join(d, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

let files;
try {
  files = walk(dir).sort();
} catch (e) {
  console.error(`sizes: cannot read ${dir}: ${e.message}`);
  process.exit(1);
}

const rows = files.map((f) => {
  const buf = readFileSync(f);
  return {
    file: relative(dir, f),
    raw: buf.length,
    gzip: gzipSync(buf, { level: 9 }).length,
    brotli: brotliCompressSync(buf, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_SIZE_HINT]: buf.length,
      },
    }).length,
  };
});
const total = rows.reduce(
  (t, r) => ({ file: 'total', raw: t.raw + r.raw, gzip: t.gzip + r.gzip, brotli: t.brotli + r.brotli }),
  { file: 'total', raw: 0, gzip: 0, brotli: 0 },
);

const fmt = (n) => `${n.toLocaleString('en-US')} B`;
const width = Math.max(5, ...rows.map((r) => r.file.length));
const line = (r) =>
  `${r.file.padEnd(width)}  ${fmt(r.raw).padStart(13)}  ${fmt(r.gzip).padStart(13)}  ${fmt(r.brotli).padStart(13)}`;
console.log(`${'file'.padEnd(width)}  ${'raw'.padStart(13)}  ${'gzip -9'.padStart(13)}  ${'brotli -q 11'.padStart(13)}`);
for (const r of rows) console.log(line(r));
console.log(line(total));
