#!/usr/bin/env node
// Prints the size of every file in a build directory (default: dist/) raw, gzip -9 and brotli -q 11,
// using only node's zlib. Usage: node scripts/sizes.mjs [dir]
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fmtBytes, sizes, walk } from './lib/sizes.mjs';

const dir = process.argv[2] ?? 'dist';

let files;
try {
  files = walk(dir);
} catch (e) {
  console.error(`sizes: cannot read ${dir}: ${e.message}`);
  process.exit(1);
}

const rows = files.map((f) => ({ file: relative(dir, f), ...sizes(readFileSync(f)) }));
const total = rows.reduce(
  (t, r) => ({ file: 'total', raw: t.raw + r.raw, gzip: t.gzip + r.gzip, brotli: t.brotli + r.brotli }),
  { file: 'total', raw: 0, gzip: 0, brotli: 0 },
);

const width = Math.max(5, ...rows.map((r) => r.file.length));
const line = (r) =>
  `${r.file.padEnd(width)}  ${fmtBytes(r.raw).padStart(13)}  ${fmtBytes(r.gzip).padStart(13)}  ${fmtBytes(r.brotli).padStart(13)}`;
console.log(`${'file'.padEnd(width)}  ${'raw'.padStart(13)}  ${'gzip -9'.padStart(13)}  ${'brotli -q 11'.padStart(13)}`);
for (const r of rows) console.log(line(r));
console.log(line(total));
