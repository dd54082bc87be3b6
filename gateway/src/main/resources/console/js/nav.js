/** Goes to a console route, e.g. go('/functions/hello/test', {replay: id}). */
export function go(path, query) {
  const q = query ? `?${new URLSearchParams(query)}` : '';
  window.location.hash = `#${path}${q}`;
}

/** The href of a console route. */
export function href(...segments) {
  return `#/${segments.map(encodeURIComponent).join('/')}`;
}
