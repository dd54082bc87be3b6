// Elements are built from objects, never from markup strings: function output, object keys and log
// lines are always inserted as text, so nothing a function returns can become part of the page.

const BOOLEAN_PROPS = new Set(['checked', 'selected', 'disabled', 'required', 'multiple', 'hidden', 'readOnly', 'open']);

/** h('button', {class: 'primary', onclick}, 'Run') → a <button>. Null, undefined and false props are left out. */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  let value;
  for (const [key, v] of Object.entries(props ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (key.startsWith('on') && typeof v === 'function') el.addEventListener(key.slice(2), v);
    else if (key === 'class') el.className = v;
    else if (key === 'dataset') Object.assign(el.dataset, v);
    else if (key === 'value') value = v;
    else if (BOOLEAN_PROPS.has(key)) el[key] = true;
    else el.setAttribute(key, v === true ? '' : String(v));
  }
  append(el, children);
  // A select's value can only be set once its options exist; a textarea's only as a property.
  if (value !== undefined) el.value = value;
  return el;
}

export function append(el, ...children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

let nextId = 0;
/** A fresh element id, for tying labels to controls. */
export function uid(prefix = 'c') {
  nextId += 1;
  return `${prefix}-${nextId}`;
}

/** A labelled control: <label for> + the control (given an id if it has none) + an optional hint. */
export function field(label, control, hint) {
  if (!control.id) control.id = uid('f');
  let hintEl = null;
  if (hint) {
    hintEl = h('small', { id: `${control.id}-hint` }, hint);
    control.setAttribute('aria-describedby', hintEl.id);
  }
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control, hintEl);
}

/** A select with [value, text] options. */
export function select(props, options) {
  return h('select', props, options.map(([value, text, extra]) => h('option', { value, ...extra }, text ?? value)));
}

/**
 * A place next to a control where the outcome of the user's action appears. Errors are announced
 * (role=alert); other messages politely.
 */
export function notice() {
  const el = h('div', { class: 'notice', 'aria-live': 'polite' });
  return {
    el,
    error(error) {
      const title = error?.code ? `${error.code}:` : 'Error:';
      const text = error?.detail ?? error?.message ?? String(error);
      el.replaceChildren(h('p', { class: 'msg error', role: 'alert' }, h('strong', null, title), text));
    },
    info(...content) {
      el.replaceChildren(h('p', { class: 'msg info' }, ...content));
    },
    ok(...content) {
      el.replaceChildren(h('p', { class: 'msg ok', role: 'status' }, ...content));
    },
    clear() {
      el.replaceChildren();
    },
  };
}

/** Runs an async action from a button: disables it meanwhile and reports a failure in the notice. */
export async function busy(button, note, action) {
  button.disabled = true;
  note?.clear();
  try {
    return await action();
  } catch (e) {
    if (note) note.error(e);
    else throw e;
    return undefined;
  } finally {
    button.disabled = false;
  }
}

/** A <pre> holding text as it is (tabs and all). */
export function pre(text, className = 'block') {
  return h('pre', { class: className, tabindex: '0' }, text ?? '');
}

/** Pretty-prints text that is JSON; leaves anything else as it is. */
export function prettyJson(text) {
  if (text === null || text === undefined || text === '') return text ?? '';
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
