// Where things are in the repository, for the scripts and the e2e suite.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** The release build; overridable to test a copy (e.g. while a rebuild is rewriting dist/). */
export const DIST = process.env.E2E_DIST ?? join(ROOT, 'dist');
/** The DMXAPI simulator's release binary (cargo build --release -p dmxapi-sim). */
export const SIM_BIN = process.env.E2E_SIM_BIN ?? join(ROOT, 'target/release/dmxapi-sim');
