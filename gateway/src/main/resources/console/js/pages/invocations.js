// The invocation history: records filtered by function, status, trigger and time, newest first,
// refreshed while the page is open; each row opens the record.
import { h, field, select, notice } from '../dom.js';
import { lambda, records } from '../api.js';
import { ms, dateTime } from '../format.js';
import { href, go } from '../nav.js';

const STATUSES = ['ok', 'error', 'timeout', 'oom', 'crash', 'throttled'];
const TRIGGERS = ['api', 'console', 'event', 's3', 'url', 'retry', 'destination'];
const PAGE = 100;
const REFRESH_MS = 3000;

export async function invocationsPage(view, ctx) {
  view.append(h('h1', null, 'Invocations'));
  await historyView(view, ctx);
}

/** The filterable history; with fixedFunction the function filter is that function and not shown. */
export async function historyView(view, { query, signal, fixedFunction }) {
  const names = fixedFunction ? [] : (await lambda.listFunctions(signal)).map((f) => f.FunctionName);
  const initial = (k) => query?.get(k) ?? '';
  const fnSelect = select({ id: 'filter-function', value: initial('function') }, [['', 'All functions'], ...names.map((n) => [n])]);
  const status = select({ id: 'filter-status', value: initial('status') }, [['', 'Any status'], ...STATUSES.map((s) => [s])]);
  const trigger = select({ id: 'filter-trigger', value: initial('trigger') }, [['', 'Any trigger'], ...TRIGGERS.map((t) => [t])]);
  const since = h('input', { type: 'datetime-local', id: 'filter-since', step: '1', value: local(initial('since')) });
  const until = h('input', { type: 'datetime-local', id: 'filter-until', step: '1', value: local(initial('until')) });
  const live = h('input', { type: 'checkbox', id: 'filter-live', checked: true });
  const note = notice();
  const body = h('tbody');
  const more = h('button', { type: 'button', id: 'load-older', hidden: true }, 'Load older');
  const count = h('p', { class: 'muted', id: 'history-count', 'aria-live': 'polite' });

  const filter = (extra = {}) => ({
    function: fixedFunction ?? fnSelect.value,
    status: status.value,
    trigger: trigger.value,
    since: since.value ? new Date(since.value).toISOString() : '',
    until: until.value ? new Date(until.value).toISOString() : '',
    limit: PAGE,
    ...extra,
  });
  let shown = [];
  const render = (list, append) => {
    shown = append ? [...shown, ...list] : list;
    if (!append) body.replaceChildren();
    body.append(...list.map(row));
    more.hidden = list.length < PAGE;
    count.textContent = shown.length ? `${shown.length} invocation${shown.length === 1 ? '' : 's'}, newest first` : 'No invocations match.';
  };
  let newest = null;
  const load = async () => {
    try {
      const list = await records.invocations(filter(), signal);
      // Redraw only when something changed, so a refresh never steals keyboard focus from a row.
      const key = list.map((r) => `${r.id}/${r.attempt}/${r.status}`).join();
      if (key !== newest) {
        newest = key;
        render(list, false);
      }
      note.clear();
    } catch (e) {
      if (e.name !== 'AbortError') note.error(e);
    }
  };
  more.addEventListener('click', async () => {
    try {
      const oldest = shown[shown.length - 1];
      render(await records.invocations(filter({ until: oldest.startedAt }), signal), true);
    } catch (e) {
      note.error(e);
    }
  });
  const apply = (e) => {
    e?.preventDefault();
    newest = null;
    if (!fixedFunction) {
      const q = Object.fromEntries(Object.entries(filter()).filter(([k, v]) => v && k !== 'limit'));
      history.replaceState(null, '', `#/invocations${Object.keys(q).length ? `?${new URLSearchParams(q)}` : ''}`);
    }
    load();
  };
  for (const control of [fnSelect, status, trigger, since, until]) control.addEventListener('change', apply);

  view.append(
    h('form', { class: 'toolbar', id: 'history-filters', onsubmit: apply, role: 'search', 'aria-label': 'Filter invocations' },
      fixedFunction ? null : field('Function', fnSelect),
      field('Status', status), field('Trigger', trigger), field('Since', since), field('Until', until),
      h('div', { class: 'field inline action' }, live, h('label', { for: 'filter-live' }, 'Refresh every 3 s')),
      h('div', { class: 'field action' }, h('button', { type: 'submit' }, 'Refresh'))),
    note.el, count,
    h('table', { class: 'cards', id: 'history' },
      h('thead', null, h('tr', null, ['Started', 'Function', 'Trigger', 'Status', 'Duration', 'Start', 'Memory used']
        .map((t) => h('th', { scope: 'col', class: t === 'Duration' || t === 'Memory used' ? 'num' : null }, t)))),
      body),
    more);
  await load();
  const timer = setInterval(() => { if (live.checked) load(); }, REFRESH_MS);
  signal.addEventListener('abort', () => clearInterval(timer));
}

function row(r) {
  const open = () => go(`/invocations/${encodeURIComponent(r.id)}`);
  return h('tr', { class: 'clickable', dataset: { id: r.id, trigger: r.trigger, status: r.status }, onclick: (e) => { if (e.target.tagName !== 'A') open(); } },
    h('td', { 'data-label': 'Started' }, h('a', { href: href('invocations', r.id) }, dateTime(r.startedAt))),
    h('td', { 'data-label': 'Function' }, r.function),
    h('td', { 'data-label': 'Trigger' }, r.trigger, r.attempt > 1 ? ` (attempt ${r.attempt})` : ''),
    h('td', { 'data-label': 'Status' }, h('span', { class: `status ${r.status}` }, r.status)),
    h('td', { class: 'num', 'data-label': 'Duration' }, ms(r.durationMs)),
    h('td', { 'data-label': 'Start' }, r.cold ? h('span', { class: 'tag cold' }, `cold, init ${ms(r.initMs)}`) : 'warm'),
    h('td', { class: 'num', 'data-label': 'Memory used' }, `${r.maxMemoryUsedMb} / ${r.memorySize} MB`));
}

/** An ISO instant as the value of a datetime-local input (local time, to the second). */
function local(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 19);
}
