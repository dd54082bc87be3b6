// Runtime choices: every runtime Tarsier knows, each marked when this host does not offer it
// (GET /_/health lists what it offers). Unoffered ones stay selectable so the API's own answer shows.
import { records } from '../api.js';

const KNOWN = ['java17', 'java25', 'nodejs20.x', 'python3.11', 'provided.al2023'];
let offered = null;

export async function offeredRuntimes(signal) {
  offered ??= records.health(signal).then((health) => health.runtimes ?? []).catch((e) => {
    offered = null;
    throw e;
  });
  return offered;
}

/** [value, text] options for a runtime select, limited to `only` when given. */
export async function runtimeOptions(signal, only) {
  const available = await offeredRuntimes(signal);
  const all = only ?? [...new Set([...available, ...KNOWN])].sort();
  return all.map((r) => [r, available.includes(r) ? r : `${r} (not offered on this platform)`]);
}
