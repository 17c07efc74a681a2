// The translations in locales/*.yml, read into one object per language ({ en: {key: text}, zh: … }).
// Used by scripts/catalog.mjs (the build) and the e2e suite (tests/e2e/ui.mjs: t()).
//
// The source is a strict subset of YAML, read exactly as src/domain/catalog.rs reads it (the native
// tests' copy): a `key:` line, then `  en: "…"` and `  zh: "…"`, double-quoted with only \" and \\
// escapes; comment, blank and `_version` lines. Anything else throws, naming the file and line, as does
// a key given twice or missing a language.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './paths.mjs';

/** The languages of the catalog, in the order the switch lists them. */
export const LANGS = ['en', 'zh'];

/** Reads every locales/*.yml; throws an Error naming the first line it cannot read. */
export function readLocales(dir = join(ROOT, 'locales')) {
  const catalogs = Object.fromEntries(LANGS.map((l) => [l, {}]));
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.yml')).sort()) {
    let key = null;
    readFileSync(join(dir, name), 'utf8')
      .split('\n')
      .forEach((raw, i) => {
        const line = raw.replace(/\s+$/, '');
        const at = (why) => {
          throw new Error(`locales/${name} line ${i + 1}: ${why}: ${raw}`);
        };
        if (line === '' || line.trimStart().startsWith('#')) return;
        if (line.startsWith('  ')) {
          const m = /^ {2}([a-z]+): ("(?:[^"\\]|\\["\\])*")$/.exec(line);
          if (!m) return at('not `lang: "text"`');
          if (key === null) return at('a text before its key');
          if (!LANGS.includes(m[1])) return at('unknown language');
          if (Object.hasOwn(catalogs[m[1]], key)) return at('given twice');
          catalogs[m[1]][key] = JSON.parse(m[2]);
        } else if (line.startsWith('_version:')) {
          key = null;
        } else if (/^[A-Za-z0-9._-]+:$/.test(line)) {
          key = line.slice(0, -1);
        } else {
          at('not understood');
        }
      });
  }
  for (const l of LANGS) {
    for (const other of LANGS) {
      const missing = Object.keys(catalogs[other]).find((k) => !Object.hasOwn(catalogs[l], k));
      if (missing) throw new Error(`${missing}: no ${l} text`);
    }
  }
  return catalogs;
}
