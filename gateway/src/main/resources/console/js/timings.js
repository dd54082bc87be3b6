// Where an invocation's time went, from its record: waiting (queue or a free sandbox), creating the
// container, the runtime's init, and the handler's run, drawn as one bar with a legend.
import { h } from './dom.js';
import { ms } from './format.js';

const PARTS = [
  ['wait', 'wait', (r) => r.queueWaitMs],
  ['create', 'create', (r) => r.createMs],
  ['init', 'init', (r) => r.initMs],
  ['run', 'run', (r) => r.durationMs],
];

export function timingsBar(record) {
  const parts = PARTS.map(([key, label, get]) => [key, label, Math.max(0, Number(get(record) ?? 0))]);
  const total = parts.reduce((n, [, , v]) => n + v, 0);
  const summary = parts.map(([, label, v]) => `${label} ${ms(v)}`).join(', ');
  return h('div', { class: 'timings', dataset: { total: total.toFixed(3) } },
    h('div', { class: 'bar', role: 'img', 'aria-label': `${record.cold ? 'Cold' : 'Warm'} start: ${summary}` },
      parts.filter(([, , v]) => v > 0).map(([key, label, v]) =>
        h('span', { class: key, title: `${label} ${ms(v)}`, style: `flex-grow: ${v}` }))),
    h('div', { class: 'legend' },
      parts.map(([key, label, v]) => h('span', { class: `part-${key}` }, h('i', { class: key, 'aria-hidden': 'true' }), `${label} ${ms(v)}`)),
      h('span', null, h('strong', null, record.cold ? 'cold start' : 'warm start'), ` · total ${ms(total)}`)));
}

/** The log with START, END and REPORT lines marked, its text left exactly as Lambda prints it. */
export function logView(log) {
  const lines = (log ?? '').split(/(?<=\n)/);
  return h('pre', { class: 'block log', tabindex: '0' }, lines.map((line) => {
    if (line.startsWith('START RequestId:')) return h('span', { class: 'start' }, line);
    if (line.startsWith('END RequestId:')) return h('span', { class: 'end' }, line);
    if (line.startsWith('REPORT RequestId:')) return h('span', { class: 'report' }, line);
    return line;
  }));
}
