// The Live log tab: the function's recent logs, then every invocation's whole log as it ends, through
// the platform's server-sent events (/_/api/functions/{name}/logs?follow=true).
import { h } from '../dom.js';
import { records } from '../api.js';
import { logView } from '../timings.js';

const MAX_CHARS = 200_000;

export async function logsTab(panel, fn, { signal }) {
  const name = fn.Configuration.FunctionName;
  const state = h('p', { id: 'tail-state', class: 'muted', role: 'status', dataset: { state: 'connecting' } }, 'Connecting…');
  const out = h('div', { id: 'tail', role: 'log', 'aria-label': `Log of ${name}` });
  const pause = h('button', { type: 'button', id: 'tail-pause', 'aria-pressed': 'false' }, 'Pause');
  const clear = h('button', { type: 'button', id: 'tail-clear', onclick: () => { text = ''; draw(); } }, 'Clear');
  const follow = h('input', { type: 'checkbox', id: 'tail-scroll', checked: true });
  panel.append(
    h('h2', null, 'Live log'),
    h('div', { class: 'toolbar' }, state, h('div', { class: 'grow' }), pause, clear,
      h('div', { class: 'field inline' }, follow, h('label', { for: 'tail-scroll' }, 'Scroll to the newest'))),
    out);

  let text = '';
  let paused = false;
  let held = '';
  const draw = () => {
    if (text.length > MAX_CHARS) text = text.slice(text.indexOf('\n', text.length - MAX_CHARS) + 1);
    const view = logView(text);
    view.classList.add('tail');
    out.replaceChildren(view);
    if (follow.checked) view.scrollTop = view.scrollHeight;
  };
  pause.addEventListener('click', () => {
    paused = !paused;
    pause.textContent = paused ? 'Resume' : 'Pause';
    pause.setAttribute('aria-pressed', String(paused));
    if (!paused && held) {
      text += held;
      held = '';
      draw();
    }
  });

  text = await records.recentLogs(name, signal);
  draw();
  const source = new EventSource(records.followUrl(name));
  signal.addEventListener('abort', () => source.close());
  source.onopen = () => {
    state.dataset.state = 'following';
    state.textContent = 'Following: each invocation\u2019s log appears here when it ends.';
  };
  source.onerror = () => {
    // EventSource reconnects by itself; say so instead of failing quietly.
    state.dataset.state = 'reconnecting';
    state.textContent = 'Connection lost; reconnecting…';
  };
  source.addEventListener('log', (e) => {
    const log = e.data.endsWith('\n') ? e.data : `${e.data}\n`;
    if (paused) {
      held += log;
      return;
    }
    text += log;
    draw();
  });
}
