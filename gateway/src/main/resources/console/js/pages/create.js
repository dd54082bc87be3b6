// Create a function: drop a zip (progress shown while it uploads), or write a single-file Node.js or
// Python function in the editor; either way it becomes a CreateFunction call with a base64 zip.
import { h, field, select, notice, busy } from '../dom.js';
import { lambda, base64Of, ApiError } from '../api.js';
import { bytes } from '../format.js';
import { zip } from '../zip.js';
import { codeEditor } from '../editor.js';
import { INLINE_RUNTIMES, inlineSource, usualHandler, saveSource } from '../sources.js';
import { dropZone, progressLine } from '../widgets.js';
import { runtimeOptions } from './runtimes.js';
import { go } from '../nav.js';

const ROLE = 'arn:aws:iam::000000000000:role/lambda';

export async function createPage(view, { query, signal }) {
  const fromEditor = query.get('from') === 'editor';
  view.append(h('h1', null, 'Create function'));
  const zipChoice = h('input', { type: 'radio', name: 'source', id: 'source-zip', value: 'zip', checked: !fromEditor });
  const editorChoice = h('input', { type: 'radio', name: 'source', id: 'source-editor', value: 'editor', checked: fromEditor });
  view.append(h('fieldset', { class: 'row' }, h('legend', null, 'Code'),
    h('div', { class: 'field inline' }, zipChoice, h('label', { for: 'source-zip' }, 'Upload a zip')),
    h('div', { class: 'field inline' }, editorChoice, h('label', { for: 'source-editor' }, 'Write code in the editor (Node.js or Python)'))));

  const [allRuntimes, inlineRuntimes] = await Promise.all([runtimeOptions(signal), runtimeOptions(signal, INLINE_RUNTIMES)]);
  const zipForm = zipSection(allRuntimes);
  const editorForm = await editorSection(inlineRuntimes);
  view.append(zipForm.el, editorForm.el);
  const choose = () => {
    zipForm.el.hidden = !zipChoice.checked;
    editorForm.el.hidden = !editorChoice.checked;
    if (editorChoice.checked) editorForm.shown();
  };
  zipChoice.addEventListener('change', choose);
  editorChoice.addEventListener('change', choose);
  choose();
  await editorForm.attach();
  if (editorChoice.checked) editorForm.shown();
}

/** Name, runtime, handler, memory, timeout and description: the settings both ways share. */
function settingsFields(runtimes, { handlerReadOnly }) {
  const name = h('input', { type: 'text', id: handlerReadOnly ? 'inline-name' : 'zip-name', required: true, autocomplete: 'off',
    pattern: '[A-Za-z0-9_-]{1,64}', spellcheck: 'false' });
  const runtime = select({ id: handlerReadOnly ? 'inline-runtime' : 'zip-runtime' }, runtimes);
  const handler = h('input', { type: 'text', id: handlerReadOnly ? 'inline-handler' : 'zip-handler', readOnly: handlerReadOnly,
    spellcheck: 'false', value: usualHandler(runtime.value) });
  const memory = h('input', { type: 'number', id: handlerReadOnly ? 'inline-memory' : 'zip-memory', value: '128', min: '128', max: '10240', step: '1' });
  const timeout = h('input', { type: 'number', id: handlerReadOnly ? 'inline-timeout' : 'zip-timeout', value: '3', min: '1', max: '900' });
  const description = h('input', { type: 'text', id: handlerReadOnly ? 'inline-description' : 'zip-description' });
  const el = h('div', null,
    h('div', { class: 'row' },
      field('Function name', name, 'Letters, digits, - and _; up to 64.'),
      field('Runtime', runtime),
      field('Handler', handler, handlerReadOnly ? 'Follows from the runtime: the file and function the editor writes.' : 'Java: package.Class::method; Node.js: file.export; Python: module.function.')),
    h('div', { class: 'row' },
      field('Memory (MB)', memory, '128 to 10240'),
      field('Timeout (s)', timeout, '1 to 900'),
      field('Description', description)));
  return {
    el, name, runtime, handler,
    request: () => ({
      FunctionName: name.value.trim(),
      Runtime: runtime.value,
      Handler: handler.value.trim(),
      MemorySize: Number(memory.value),
      Timeout: Number(timeout.value),
      Description: description.value,
      Role: ROLE,
    }),
  };
}

function zipSection(runtimes) {
  const settings = settingsFields(runtimes, { handlerReadOnly: false });
  settings.runtime.value = runtimes.find(([r]) => r === 'java25')?.[0] ?? runtimes[0]?.[0];
  settings.handler.value = usualHandler(settings.runtime.value);
  settings.runtime.addEventListener('change', () => { settings.handler.value = usualHandler(settings.runtime.value); });
  let file = null;
  const chosen = h('p', { class: 'muted', id: 'zip-chosen', 'aria-live': 'polite' }, 'No file chosen yet.');
  const zone = dropZone({
    label: 'Function code as a .zip',
    accept: '.zip,application/zip',
    onFiles: ([f]) => {
      file = f;
      chosen.textContent = `${f.name}, ${bytes(f.size)}`;
      if (!settings.name.value) settings.name.value = f.name.replace(/\.zip$/i, '').replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 64);
    },
  });
  zone.input.id = 'zip-file';
  const note = notice();
  const progress = progressLine('Upload');
  progress.el.hidden = true;
  progress.el.id = 'zip-progress';
  const create = h('button', { type: 'submit', class: 'primary', id: 'zip-create' }, 'Create function');
  const form = h('form', { novalidate: true, id: 'zip-form' }, settings.el, zone.el, chosen, progress.el, h('div', { class: 'row' }, create), note.el);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(create, note, async () => {
      if (!file) throw new ApiError(0, null, 'Choose or drop a .zip file with the function code first.');
      progress.el.hidden = false;
      progress.set(0, 'reading the file');
      const request = { ...settings.request(), Code: { ZipFile: await base64Of(file) } };
      const created = await lambda.createFunction(request, (f) => progress.set(f, f < 1 ? undefined : '100 %, checking and unpacking the zip…'));
      progress.set(1, '100 %, created');
      go(`/functions/${encodeURIComponent(created.FunctionName)}/test`);
    });
  });
  return { el: h('section', { 'aria-label': 'Upload a zip' }, form) };
}

async function editorSection(runtimes) {
  const settings = settingsFields(runtimes, { handlerReadOnly: true });
  const textarea = h('textarea', { id: 'inline-code', spellcheck: 'false', rows: '18' });
  const fileLabel = h('span', { class: 'mono' });
  const note = notice();
  const save = h('button', { type: 'submit', class: 'primary', id: 'inline-save' }, 'Save function');
  const form = h('form', { novalidate: true, id: 'inline-form' }, settings.el,
    h('div', { class: 'field editor' }, h('label', { for: 'inline-code' }, 'Code, in ', fileLabel), textarea,
      h('small', null, 'Tab indents; press Escape, then Tab, to leave the editor.')),
    h('div', { class: 'row' }, save), note.el);
  const section = h('section', { 'aria-label': 'Write code' }, form);
  let source = inlineSource(settings.runtime.value);
  textarea.value = source.template;
  fileLabel.textContent = source.file;
  settings.handler.value = source.handler;
  // Until the editor attaches (once the section is in the page), the textarea works as it is.
  const editor = { current: { value: () => textarea.value, setValue: (v) => { textarea.value = v; }, setMode() {} } };
  settings.runtime.addEventListener('change', () => {
    const next = inlineSource(settings.runtime.value);
    if (editor.current.value() === source.template) editor.current.setValue(next.template);
    source = next;
    editor.current.setMode(source.mode);
    fileLabel.textContent = source.file;
    settings.handler.value = source.handler;
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(save, note, async () => {
      const code = editor.current.value();
      const request = { ...settings.request(), Code: { ZipFile: await base64Of(zip([{ name: source.file, text: code }])) } };
      const created = await lambda.createFunction(request);
      saveSource(created.FunctionName, { runtime: created.Runtime, file: source.file, code });
      go(`/functions/${encodeURIComponent(created.FunctionName)}/test`);
    });
  });
  return {
    el: section,
    shown: () => editor.current.refresh?.(),
    attach: async () => { editor.current = await codeEditor(textarea, source.mode); },
  };
}
