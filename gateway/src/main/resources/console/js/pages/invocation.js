// One invocation record: what it was asked, what it answered, its whole log, where the time went,
// and "Run again", which replays the recorded event (a real bucket event, say) as a console test.
import { h, prettyJson } from '../dom.js';
import { records } from '../api.js';
import { ms, dateTime } from '../format.js';
import { href, go } from '../nav.js';
import { timingsBar, logView } from '../timings.js';

export async function invocationPage(view, { params, signal }) {
  const r = await records.invocation(params[0], signal);
  const again = h('button', { type: 'button', class: 'primary', id: 'run-again', disabled: r.request === null || r.request === undefined },
    'Run again');
  again.addEventListener('click', () => go(`/functions/${encodeURIComponent(r.function)}/test`, { replay: r.id }));
  view.append(
    h('div', { class: 'toolbar' },
      h('div', { class: 'grow' },
        h('p', { class: 'muted' }, h('a', { href: '#/invocations' }, 'Invocations'), ' / '),
        h('h1', null, 'Invocation ', h('span', { class: 'mono' }, r.id))),
      again),
    h('dl', { class: 'facts', id: 'invocation-facts' },
      h('dt', null, 'Function'), h('dd', null, h('a', { href: href('functions', r.function) }, r.function)),
      h('dt', null, 'Status'), h('dd', null, h('span', { class: `status ${r.status}`, id: 'invocation-status' }, r.status), r.errorType ? ` (${r.errorType})` : ''),
      h('dt', null, 'Trigger'), h('dd', { id: 'invocation-trigger' }, r.trigger, r.attempt > 1 ? `, attempt ${r.attempt}` : ''),
      h('dt', null, 'Started'), h('dd', null, dateTime(r.startedAt)),
      h('dt', null, 'Duration'), h('dd', null, `${ms(r.durationMs)} (billed ${r.billedMs} ms)`),
      h('dt', null, 'Memory'), h('dd', null, `${r.maxMemoryUsedMb} MB used of ${r.memorySize} MB`),
      h('dt', null, 'Code SHA-256'), h('dd', { class: 'mono' }, r.codeSha256)),
    h('h2', null, 'Where the time went'),
    timingsBar(r),
    h('h2', null, 'Event'),
    h('pre', { class: 'block', id: 'invocation-request', tabindex: '0' }, r.request === null ? '(not recorded)' : prettyJson(r.request)),
    h('h2', null, r.status === 'ok' ? 'Result' : 'Error'),
    h('pre', { class: 'block', id: 'invocation-result', tabindex: '0' }, r.result === null ? '(none)' : prettyJson(r.result)),
    h('h2', null, 'Log'),
    Object.assign(logView(r.log), { id: 'invocation-log' }));
}
