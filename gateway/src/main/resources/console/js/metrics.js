// Reading /_/metrics (Prometheus text format) into the numbers the monitoring page plots. Counters
// become rates between two scrapes; the duration histogram's buckets, differenced between scrapes,
// give the p50 and p99 of just that interval, as Prometheus's histogram_quantile(rate(...)) would.

/** [{name, labels, value}] from Prometheus text; comments and malformed lines are skipped. */
export function parsePrometheus(text) {
  const samples = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/);
    if (!m) continue;
    const labels = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[l[1]] = l[2].replace(/\\(.)/g, (_, c) => (c === 'n' ? '\n' : c));
    }
    samples.push({ name: m[1], labels, value: number(m[3]) });
  }
  return samples;
}

function number(text) {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return Number(text);
}

/**
 * The totals one scrape holds, for one function or (fn empty) all of them. Sandboxes and the queue
 * belong to the platform, not a function, so they are never filtered.
 */
export function snapshot(samples, fn) {
  const ofFunction = (s) => !fn || s.labels.function === fn;
  const sum = (name) => samples.filter((s) => s.name === name && ofFunction(s)).reduce((n, s) => n + s.value, 0);
  const buckets = new Map();
  const quantiles = {};
  const sandboxes = {};
  for (const s of samples) {
    if (s.name === 'tarsier_duration_milliseconds_bucket' && ofFunction(s)) {
      const le = number(s.labels.le);
      buckets.set(le, (buckets.get(le) ?? 0) + s.value);
    } else if (s.name === 'tarsier_duration_milliseconds' && s.labels.quantile && ofFunction(s)) {
      // A summary's quantiles cannot be merged across functions; the slowest function's is the honest bound.
      quantiles[s.labels.quantile] = Math.max(quantiles[s.labels.quantile] ?? 0, s.value);
    } else if (s.name === 'tarsier_sandboxes') {
      sandboxes[s.labels.state] = (sandboxes[s.labels.state] ?? 0) + s.value;
    }
  }
  return {
    invocations: sum('tarsier_invocations_total'),
    errors: sum('tarsier_errors_total'),
    throttles: sum('tarsier_throttles_total'),
    cold: sum('tarsier_cold_starts_total'),
    queue: samples.filter((s) => s.name === 'tarsier_queue_depth').reduce((n, s) => n + s.value, 0),
    buckets,
    quantiles,
    sandboxes,
  };
}

/** Per-minute rate of a counter between two scrapes; a drop means the platform restarted. */
function perMinute(before, after, seconds) {
  const delta = after >= before ? after - before : after;
  return (delta * 60) / seconds;
}

/** The q-quantile from cumulative bucket counts {le → count}, interpolating inside the bucket. */
export function histogramQuantile(q, buckets) {
  const sorted = [...buckets.entries()].sort((a, b) => a[0] - b[0]);
  const total = sorted.length ? sorted[sorted.length - 1][1] : 0;
  if (total <= 0) return null;
  const rank = q * total;
  let lower = 0;
  let below = 0;
  for (const [le, count] of sorted) {
    if (count >= rank) {
      if (le === Infinity) return lower;
      return count === below ? le : lower + ((le - lower) * (rank - below)) / (count - below);
    }
    lower = le;
    below = count;
  }
  return lower;
}

/** One plotted point from two consecutive snapshots taken `seconds` apart. */
export function point(before, after, seconds, t) {
  const interval = new Map();
  for (const [le, count] of after.buckets) interval.set(le, Math.max(0, count - (before.buckets.get(le) ?? 0)));
  const useSummary = after.buckets.size === 0;
  return {
    t,
    invocations: perMinute(before.invocations, after.invocations, seconds),
    errors: perMinute(before.errors, after.errors, seconds),
    throttles: perMinute(before.throttles, after.throttles, seconds),
    cold: perMinute(before.cold, after.cold, seconds),
    p50: useSummary ? after.quantiles['0.5'] ?? null : histogramQuantile(0.5, interval),
    p99: useSummary ? after.quantiles['0.99'] ?? null : histogramQuantile(0.99, interval),
    sandboxes: after.sandboxes,
    queue: after.queue,
  };
}
