// Monitoring: invocations, errors, throttles, duration p50/p99, cold starts, sandboxes by state and
// queue depth over time, drawn with uPlot. The past (up to 15 minutes) comes from the invocation
// records when the page opens; from then on every refresh scrapes /_/metrics and adds a point. Rates
// are per minute either way, so the two sources join into one line.
import { h, field, select, notice } from '../dom.js';
import { lambda, records } from '../api.js';
import { quantile } from '../format.js';
import { parsePrometheus, snapshot, point } from '../metrics.js';

const WINDOW_S = 15 * 60;
const COLORS = ['#0b57d0', '#cf222e', '#bf8700', '#1a7f37', '#8250df', '#57606a'];

const CHARTS = [
  { id: 'invocations', title: 'Invocations', unit: 'per minute', series: [['invocations', 'invocations'], ['errors', 'errors'], ['throttles', 'throttles']] },
  { id: 'duration', title: 'Duration', unit: 'ms', series: [['p50', 'p50'], ['p99', 'p99']] },
  { id: 'cold', title: 'Cold starts', unit: 'per minute', series: [['cold', 'cold starts']] },
  { id: 'sandboxes', title: 'Sandboxes by state', unit: 'sandboxes', series: null },
  { id: 'queue', title: 'Async queue depth', unit: 'events', series: [['queue', 'waiting or running']] },
];

export async function monitoringPage(view, { signal }) {
  const functions = await lambda.listFunctions(signal);
  const fnSelect = select({ id: 'monitor-function' }, [['', 'All functions'], ...functions.map((f) => [f.FunctionName])]);
  const every = select({ id: 'monitor-every', value: '5' }, [['2', 'every 2 s'], ['5', 'every 5 s'], ['15', 'every 15 s']]);
  const note = notice();
  const grid = h('div', { class: 'charts', id: 'charts' });
  view.append(
    h('h1', null, 'Monitoring'),
    h('div', { class: 'toolbar' }, field('Function', fnSelect, 'Sandboxes and the queue are platform-wide'), field('Refresh', every)),
    note.el, grid);
  const { default: uPlot } = await import('/_/console/vendor/uplot/dist/uPlot.esm.js');

  let points = [];
  let previous = null;
  let charts = [];
  let states = ['starting', 'idle', 'paused', 'busy', 'destroying'];

  const build = () => {
    charts.forEach((c) => c.plot.destroy());
    grid.replaceChildren();
    charts = CHARTS.map((spec) => {
      const series = spec.series ?? states.map((s) => [`sandbox:${s}`, s]);
      const figure = h('figure', { id: `chart-${spec.id}`, dataset: { points: '0' } });
      const latest = h('p', { class: 'latest' });
      figure.append(h('figcaption', null, `${spec.title} (${spec.unit})`), latest);
      grid.append(figure);
      const plot = new uPlot({
        width: Math.max(280, figure.clientWidth - 16),
        height: 200,
        // Counts and durations start at zero; an all-zero series still gets a visible axis.
        scales: { x: { time: true }, y: { range: (u, min, max) => [0, max > 0 ? max * 1.15 : 1] } },
        // Gaps (an interval without invocations has no duration) are bridged rather than drawn as holes.
        series: [{}, ...series.map(([, label], i) => ({ label, stroke: COLORS[i % COLORS.length], width: 2, points: { size: 5 }, spanGaps: true,
          value: (u, v) => (v === null || v === undefined ? '–' : round(v)) }))],
        axes: [{}, { size: 56, label: spec.unit }],
      }, data(series), figure);
      figure.append(latest);
      return { spec, series, figure, latest, plot };
    });
  };
  const data = (series) => [points.map((p) => p.t), ...series.map(([key]) => points.map((p) => value(p, key)))];
  const draw = () => {
    for (const c of charts) {
      const d = data(c.series);
      c.plot.setData(d);
      const filled = d[0].filter((_, i) => d.slice(1).some((s) => s[i] !== null && s[i] !== undefined)).length;
      c.figure.dataset.points = String(filled);
      const last = points[points.length - 1];
      c.latest.textContent = last ? `Latest: ${c.series.map(([key, label]) => `${label} ${fmt(value(last, key))}`).join(', ')}` : 'No data yet.';
    }
  };

  const backfill = async () => {
    const now = Date.now() / 1000;
    const since = new Date((now - WINDOW_S) * 1000).toISOString();
    const list = await records.invocations({ function: fnSelect.value, since, limit: 1000 }, signal);
    // History starts at the oldest record in the window, so a young platform's plot is not mostly empty.
    const oldest = list.length ? new Date(list[list.length - 1].startedAt).getTime() / 1000 : now;
    const step = Math.max(5, Math.ceil((now - oldest) / 40));
    const steps = list.length ? Math.ceil((now - oldest) / step) + 1 : 0;
    const start = now - steps * step;
    const slots = Array.from({ length: steps }, (_, i) => ({ t: start + (i + 1) * step, list: [] }));
    for (const r of list) {
      const i = Math.floor((new Date(r.startedAt).getTime() / 1000 - start) / step);
      if (i >= 0 && i < steps) slots[i].list.push(r);
    }
    const scale = 60 / step;
    points = slots.map(({ t, list: rs }) => {
      const ran = rs.filter((r) => r.status !== 'throttled');
      return {
        t,
        invocations: ran.length * scale,
        errors: ran.filter((r) => r.status !== 'ok').length * scale,
        throttles: (rs.length - ran.length) * scale,
        cold: ran.filter((r) => r.cold).length * scale,
        p50: quantile(ran.map((r) => r.durationMs), 0.5),
        p99: quantile(ran.map((r) => r.durationMs), 0.99),
        sandboxes: null,
        queue: null,
      };
    });
  };

  const sample = async () => {
    const samples = parsePrometheus(await records.metrics(signal));
    const now = Date.now() / 1000;
    const current = { t: now, snap: snapshot(samples, fnSelect.value) };
    const found = Object.keys(current.snap.sandboxes);
    if (found.length && found.some((s) => !states.includes(s))) {
      states = [...states, ...found.filter((s) => !states.includes(s))];
      build();
    }
    if (previous) {
      points.push(point(previous.snap, current.snap, Math.max(0.001, now - previous.t), now));
    } else {
      // The first scrape has no interval to rate over yet; its gauges are plotted already.
      points.push({ t: now, sandboxes: current.snap.sandboxes, queue: current.snap.queue });
    }
    previous = current;
    points = points.filter((p) => p.t >= now - WINDOW_S);
    draw();
  };

  let timer = null;
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      try {
        await sample();
        note.clear();
      } catch (e) {
        if (e.name === 'AbortError') return;
        note.error(e);
      }
      if (!signal.aborted) schedule();
    }, Number(every.value) * 1000);
  };
  const restart = async () => {
    previous = null;
    try {
      await backfill();
      build();
      await sample();
      note.clear();
    } catch (e) {
      if (e.name !== 'AbortError') note.error(e);
    }
    schedule();
  };
  fnSelect.addEventListener('change', restart);
  every.addEventListener('change', schedule);
  const resize = new ResizeObserver(() => charts.forEach((c) => c.plot.setSize({ width: Math.max(280, c.figure.clientWidth - 16), height: 200 })));
  resize.observe(grid);
  signal.addEventListener('abort', () => {
    clearTimeout(timer);
    resize.disconnect();
    charts.forEach((c) => c.plot.destroy());
  });
  await restart();
}

function value(p, key) {
  if (key.startsWith('sandbox:')) return p.sandboxes ? p.sandboxes[key.slice(8)] ?? 0 : null;
  const v = p[key];
  return v === undefined ? null : v;
}

function round(v) {
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2);
}

function fmt(v) {
  return v === null || v === undefined ? '–' : round(v);
}
