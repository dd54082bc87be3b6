// The code editor: CodeMirror 5 from its WebJar, loaded only when a page needs it. If it cannot load,
// the plain <textarea> underneath stays usable, so editing never depends on the library.

const BASE = '/_/console/vendor/codemirror/';
const PARTS = ['mode/javascript/javascript.js', 'mode/python/python.js', 'addon/edit/matchbrackets.js', 'addon/edit/closebrackets.js'];
let loading = null;

function script(src) {
  return new Promise((resolve, reject) => {
    const el = document.createElement('script');
    el.src = src;
    el.onload = resolve;
    el.onerror = () => reject(new Error(`could not load ${src}`));
    document.head.append(el);
  });
}

function load() {
  loading ??= (async () => {
    const css = document.createElement('link');
    css.rel = 'stylesheet';
    css.href = `${BASE}lib/codemirror.css`;
    document.head.append(css);
    await script(`${BASE}lib/codemirror.js`);
    // Modes and add-ons register themselves on the global CodeMirror, so they follow the library.
    await Promise.all(PARTS.map((p) => script(BASE + p)));
    return window.CodeMirror;
  })();
  return loading;
}

const MODES = { python: { name: 'python', version: 3 }, javascript: { name: 'javascript' }, json: { name: 'javascript', json: true } };

/**
 * Turns a labelled textarea into a highlighted editor. Returns {value(), setValue(), setMode()}.
 * Tab indents; Escape then Tab moves focus on, so the editor is no keyboard trap.
 */
export async function codeEditor(textarea, mode) {
  let CodeMirror;
  try {
    CodeMirror = await load();
  } catch {
    return { value: () => textarea.value, setValue: (v) => { textarea.value = v; }, setMode() {}, plain: true };
  }
  let leaving = false;
  const cm = CodeMirror.fromTextArea(textarea, {
    mode: MODES[mode],
    lineNumbers: true,
    indentUnit: mode === 'python' ? 4 : 2,
    matchBrackets: true,
    autoCloseBrackets: true,
    screenReaderLabel: textarea.labels?.[0]?.textContent ?? 'Code',
    extraKeys: {
      Esc: () => { leaving = true; },
      Tab: (editor) => {
        if (leaving) return CodeMirror.Pass;
        if (editor.somethingSelected()) editor.indentSelection('add');
        else editor.replaceSelection(' '.repeat(editor.getOption('indentUnit')));
        return undefined;
      },
    },
  });
  cm.on('keydown', (_, e) => { if (e.key !== 'Escape' && e.key !== 'Tab') leaving = false; });
  cm.on('change', () => cm.save());
  return {
    value: () => cm.getValue(),
    setValue: (v) => cm.setValue(v),
    setMode: (m) => {
      cm.setOption('mode', MODES[m]);
      cm.setOption('indentUnit', m === 'python' ? 4 : 2);
    },
    // CodeMirror measures its lines when drawn; one created inside a hidden section redraws when shown.
    refresh: () => cm.refresh(),
    plain: false,
  };
}
