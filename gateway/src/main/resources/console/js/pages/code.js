// The Code tab: what code the function runs, replace it with a new zip, or, for Node.js and Python,
// edit the single file written here before (kept in this browser) and deploy it again.
import { h, notice, busy } from '../dom.js';
import { lambda, base64Of, ApiError } from '../api.js';
import { bytes, dateTime } from '../format.js';
import { zip } from '../zip.js';
import { codeEditor } from '../editor.js';
import { inlineSource, savedSource, saveSource } from '../sources.js';
import { dropZone, progressLine } from '../widgets.js';

export async function codeTab(panel, fn) {
  const c = fn.Configuration;
  const facts = h('dl', { class: 'facts' },
    h('dt', null, 'Size'), h('dd', { id: 'code-size' }, bytes(c.CodeSize)),
    h('dt', null, 'SHA-256 (base64)'), h('dd', { class: 'mono', id: 'code-sha' }, c.CodeSha256),
    h('dt', null, 'Last modified'), h('dd', null, dateTime(c.LastModified)));
  panel.append(h('h2', null, 'Code'), facts);
  panel.append(replaceWithZip(c, facts));
  const source = inlineSource(c.Runtime);
  if (source) await inlineEditor(panel, c, source);
}

function replaceWithZip(c, facts) {
  let file = null;
  const chosen = h('p', { class: 'muted', 'aria-live': 'polite' }, 'No file chosen yet.');
  const zone = dropZone({ label: 'New code as a .zip', accept: '.zip,application/zip', onFiles: ([f]) => {
    file = f;
    chosen.textContent = `${f.name}, ${bytes(f.size)}`;
  } });
  zone.input.id = 'code-zip';
  const progress = progressLine('Upload');
  progress.el.hidden = true;
  const note = notice();
  const upload = h('button', { type: 'button', class: 'primary', id: 'code-upload' }, 'Upload and deploy');
  upload.addEventListener('click', () => busy(upload, note, async () => {
    if (!file) throw new ApiError(0, null, 'Choose or drop a .zip file first.');
    progress.el.hidden = false;
    progress.set(0, 'reading the file');
    const updated = await lambda.updateCode(c.FunctionName, await base64Of(file), (f) => progress.set(f));
    facts.querySelector('#code-size').textContent = bytes(updated.CodeSize);
    facts.querySelector('#code-sha').textContent = updated.CodeSha256;
    note.ok('Deployed. The next invocation starts a fresh sandbox with this code.');
  }));
  return h('section', { 'aria-label': 'Replace with a zip' }, h('h3', null, 'Replace with a zip'), zone.el, chosen, progress.el, upload, note.el);
}

async function inlineEditor(panel, c, source) {
  const saved = savedSource(c.FunctionName);
  const textarea = h('textarea', { id: 'code-inline', spellcheck: 'false', rows: '18' });
  textarea.value = saved?.code ?? source.template;
  const file = saved?.file ?? source.file;
  const note = notice();
  const deploy = h('button', { type: 'button', class: 'primary', id: 'code-deploy' }, 'Deploy this code');
  const section = h('section', { 'aria-label': 'Edit in the editor' },
    h('h3', null, 'Edit in the editor'),
    h('p', { class: 'muted' }, saved
      ? `The ${file} this browser deployed last. Deploying replaces the function's whole package with this one file.`
      : `This browser has no copy of the function's code (the platform keeps zips, not sources); you can start from a template. Deploying replaces the whole package with ${file}.`),
    h('div', { class: 'field editor' }, h('label', { for: 'code-inline' }, `Code, in ${file}`), textarea),
    deploy, note.el);
  panel.append(section);
  // CodeMirror measures its lines when created, so the textarea must be in the page first.
  const editor = await codeEditor(textarea, source.mode);
  deploy.addEventListener('click', () => busy(deploy, note, async () => {
    const code = editor.value();
    await lambda.updateCode(c.FunctionName, await base64Of(zip([{ name: file, text: code }])));
    saveSource(c.FunctionName, { runtime: c.Runtime, file, code });
    note.ok('Deployed.');
  }));
}
