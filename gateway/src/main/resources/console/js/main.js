// The console is one page with hash routes (#/functions/hello/test), so every view has a link that
// can be bookmarked, and the server only serves static files.
import { h } from './dom.js';
import { functionsPage } from './pages/functions.js';
import { createPage } from './pages/create.js';
import { functionPage } from './pages/function.js';
import { invocationsPage } from './pages/invocations.js';
import { invocationPage } from './pages/invocation.js';
import { bucketsPage } from './pages/buckets.js';
import { bucketPage } from './pages/bucket.js';
import { monitoringPage } from './pages/monitoring.js';

const ROUTES = [
  [/^\/functions$/, 'functions', functionsPage],
  [/^\/functions\/new$/, 'functions', createPage],
  [/^\/functions\/([^/]+)(?:\/([a-z]+))?$/, 'functions', functionPage],
  [/^\/invocations$/, 'invocations', invocationsPage],
  [/^\/invocations\/([^/]+)$/, 'invocations', invocationPage],
  [/^\/buckets$/, 'buckets', bucketsPage],
  [/^\/buckets\/([^/]+)$/, 'buckets', bucketPage],
  [/^\/monitoring$/, 'monitoring', monitoringPage],
];

const main = document.getElementById('main');
let leaving = null;

async function show() {
  leaving?.abort();
  const controller = new AbortController();
  leaving = controller;
  const [path, queryString] = (window.location.hash.slice(1) || '/functions').split('?');
  const route = ROUTES.find(([pattern]) => pattern.test(path));
  // Each view renders into its own element; a slow view finishing after the user moved on writes
  // into a detached element and its timers and streams stop with the abort signal.
  const view = h('div', { class: 'view' });
  main.replaceChildren(view);
  for (const a of document.querySelectorAll('.top nav a')) {
    if (route && a.dataset.section === route[1]) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  if (!route) {
    view.append(h('h1', null, 'Not found'), h('p', null, 'No console page has this address. ', h('a', { href: '#/functions' }, 'Go to the functions.')));
    return;
  }
  const params = path.match(route[0]).slice(1).map((p) => (p === undefined ? undefined : decodeURIComponent(p)));
  const query = new URLSearchParams(queryString ?? '');
  try {
    await route[2](view, { params, query, signal: controller.signal });
  } catch (e) {
    if (e.name === 'AbortError' || controller.signal.aborted) return;
    view.append(h('p', { class: 'msg error', role: 'alert' }, h('strong', null, e.code ? `${e.code}:` : 'Error:'), e.detail ?? e.message));
  }
  if (document.activeElement === document.body || !main.contains(document.activeElement)) {
    // Move focus to the new view's heading so keyboard and screen-reader users start at the top.
    const heading = view.querySelector('h1');
    if (heading) {
      heading.tabIndex = -1;
      heading.focus({ preventScroll: true });
    }
  }
}

window.addEventListener('hashchange', show);
show();
