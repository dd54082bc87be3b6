// One function: a header with what it is, tabs for testing, configuration, code, its invocations and
// its live log, and deletion behind a confirmation.
import { h, notice, busy } from '../dom.js';
import { lambda } from '../api.js';
import { bytes, dateTime } from '../format.js';
import { href, go } from '../nav.js';
import { confirmDialog } from '../widgets.js';
import { forgetSource } from '../sources.js';
import { testTab } from './test.js';
import { configTab } from './config.js';
import { codeTab } from './code.js';
import { logsTab } from './logs.js';
import { historyView } from './invocations.js';

const TABS = [
  ['test', 'Test', testTab],
  ['configuration', 'Configuration', configTab],
  ['code', 'Code', codeTab],
  ['invocations', 'Invocations', (view, fn, ctx) => historyView(view, { ...ctx, fixedFunction: fn.Configuration.FunctionName })],
  ['logs', 'Live log', logsTab],
];

export async function functionPage(view, ctx) {
  const [name, tabName = 'test'] = ctx.params;
  const fn = await lambda.getFunction(name, ctx.signal);
  const c = fn.Configuration;
  const note = notice();
  const remove = h('button', { type: 'button', class: 'danger', id: 'delete-function' }, 'Delete');
  remove.addEventListener('click', async () => {
    const sure = await confirmDialog({
      title: `Delete ${c.FunctionName}?`,
      body: 'Its code, configuration and settings go; its invocation records stay in the history. This cannot be undone.',
      confirm: 'Delete function',
    });
    if (!sure) return;
    await busy(remove, note, async () => {
      await lambda.deleteFunction(c.FunctionName);
      forgetSource(c.FunctionName);
      go('/functions', { deleted: c.FunctionName });
    });
  });
  view.append(
    h('div', { class: 'toolbar' },
      h('div', { class: 'grow' },
        h('p', { class: 'muted' }, h('a', { href: '#/functions' }, 'Functions'), ' / '),
        h('h1', null, c.FunctionName)),
      remove),
    note.el,
    h('dl', { class: 'facts', id: 'function-facts' },
      h('dt', null, 'Runtime'), h('dd', null, c.Runtime),
      h('dt', null, 'Handler'), h('dd', { class: 'mono' }, c.Handler),
      h('dt', null, 'Memory, timeout'), h('dd', null, `${c.MemorySize} MB, ${c.Timeout} s`),
      h('dt', null, 'Code'), h('dd', null, `${bytes(c.CodeSize)}, changed ${dateTime(c.LastModified)}`),
      h('dt', null, 'ARN'), h('dd', { class: 'mono' }, c.FunctionArn)),
    h('nav', { class: 'tabs', 'aria-label': 'Function' }, TABS.map(([id, label]) =>
      h('a', { href: href('functions', c.FunctionName, id), id: `tab-${id}`, 'aria-current': id === tabName ? 'page' : null }, label))));
  const tab = TABS.find(([id]) => id === tabName);
  if (!tab) {
    view.append(h('p', { class: 'msg error', role: 'alert' }, `No tab named ${tabName}.`));
    return;
  }
  const panel = h('section', { 'aria-labelledby': `tab-${tab[0]}`, id: `panel-${tab[0]}` });
  view.append(panel);
  await tab[2](panel, fn, ctx);
}
