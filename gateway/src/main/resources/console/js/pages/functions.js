// The functions list: configuration from ListFunctions, and for each function its last invocation,
// error rate and median duration over its latest 100 records.
import { h } from '../dom.js';
import { lambda, records } from '../api.js';
import { ago, ms, percent, quantile } from '../format.js';

const SAMPLE = 100;

/** Stats over a function's latest records; throttled calls never ran, so they count in neither. */
export function stats(list) {
  const ran = list.filter((r) => r.status !== 'throttled');
  return {
    last: list[0]?.startedAt ?? null,
    errorRate: ran.length ? ran.filter((r) => r.status !== 'ok').length / ran.length : null,
    p50: quantile(ran.map((r) => r.durationMs), 0.5),
    count: ran.length,
  };
}

export async function functionsPage(view, { query, signal }) {
  view.append(h('div', { class: 'toolbar' },
    h('h1', { class: 'grow' }, 'Functions'),
    h('a', { class: 'button primary', href: '#/functions/new', id: 'new-function' }, 'Create function')));
  if (query.get('deleted')) {
    view.append(h('p', { class: 'msg ok', role: 'status' }, `Deleted ${query.get('deleted')}.`));
  }
  const functions = await lambda.listFunctions(signal);
  if (functions.length === 0) {
    view.append(h('p', { class: 'empty' }, 'No functions yet. ', h('a', { href: '#/functions/new' }, 'Create one'),
      ' from a zip, or write one in the editor.'));
    return;
  }
  const rows = functions.map((f) => {
    const cells = {
      last: h('td', { 'data-label': 'Last invocation' }, '…'),
      errors: h('td', { class: 'num', 'data-label': `Error rate (last ${SAMPLE})` }, '…'),
      p50: h('td', { class: 'num', 'data-label': 'p50 duration' }, '…'),
    };
    const row = h('tr', { dataset: { function: f.FunctionName } },
      h('td', { 'data-label': 'Name' }, h('a', { href: `#/functions/${encodeURIComponent(f.FunctionName)}` }, f.FunctionName)),
      h('td', { 'data-label': 'Runtime' }, f.Runtime),
      h('td', { class: 'num', 'data-label': 'Memory' }, `${f.MemorySize} MB`),
      h('td', { class: 'num', 'data-label': 'Timeout' }, `${f.Timeout} s`),
      cells.last, cells.errors, cells.p50);
    return { f, row, cells };
  });
  view.append(h('table', { class: 'cards', id: 'functions' },
    h('thead', null, h('tr', null,
      h('th', { scope: 'col' }, 'Name'), h('th', { scope: 'col' }, 'Runtime'), h('th', { scope: 'col', class: 'num' }, 'Memory'),
      h('th', { scope: 'col', class: 'num' }, 'Timeout'), h('th', { scope: 'col' }, 'Last invocation'),
      h('th', { scope: 'col', class: 'num' }, `Error rate (last ${SAMPLE})`), h('th', { scope: 'col', class: 'num' }, 'p50 duration'))),
    h('tbody', null, rows.map((r) => r.row))));

  await Promise.all(rows.map(async ({ f, row, cells }) => {
    try {
      const s = stats(await records.invocations({ function: f.FunctionName, limit: SAMPLE }, signal));
      cells.last.textContent = ago(s.last);
      cells.errors.textContent = percent(s.errorRate);
      cells.p50.textContent = ms(s.p50);
      row.dataset.loaded = 'true';
    } catch (e) {
      if (e.name === 'AbortError') return;
      cells.last.textContent = `records unavailable: ${e.detail ?? e.message}`;
    }
  }));
}
