// Small interactive pieces shared by pages: a drop zone for files, an upload progress line, and a
// confirmation dialog.
import { h, uid } from './dom.js';

/**
 * A drop zone wrapping a real, labelled file input, so a file can be dropped, chosen with the mouse,
 * or chosen from the keyboard. onFiles(FileList) is called either way.
 */
export function dropZone({ label, accept, multiple, onFiles }) {
  const input = h('input', { type: 'file', id: uid('file'), accept, multiple });
  input.addEventListener('change', () => {
    if (input.files.length) onFiles([...input.files]);
  });
  const zone = h('div', { class: 'drop' },
    h('p', null, h('strong', null, label)),
    h('p', { class: 'muted' }, multiple ? 'Drop files here, or ' : 'Drop a file here, or '),
    h('label', { for: input.id, class: 'label' }, multiple ? 'choose files: ' : 'choose a file: '),
    input);
  zone.addEventListener('dragover', (e) => {
    e.preventDefault();
    zone.classList.add('over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('over');
    if (e.dataTransfer.files.length) onFiles([...e.dataTransfer.files]);
  });
  return { el: zone, input };
}

/** A labelled <progress> with its percentage spelled out; set(fraction, text?) updates it. */
export function progressLine(label) {
  const bar = h('progress', { max: '100', value: '0', 'aria-label': label });
  const text = h('span', { class: 'muted' }, '0 %');
  const el = h('div', { class: 'progress' }, h('span', null, label), bar, text);
  return {
    el,
    set(fraction, words) {
      const pct = Math.round(Math.max(0, Math.min(1, fraction)) * 100);
      bar.value = pct;
      text.textContent = words ?? `${pct} %`;
      el.dataset.percent = String(pct);
    },
  };
}

/** Asks before something that cannot be undone; resolves true only when the user confirms. */
export function confirmDialog({ title, body, confirm }) {
  return new Promise((resolve) => {
    const titleId = uid('dlg');
    const dialog = h('dialog', { 'aria-labelledby': titleId, class: 'confirm' },
      h('h2', { id: titleId }, title),
      h('p', null, body),
      h('div', { class: 'actions' },
        h('button', { type: 'button', value: 'cancel', class: 'cancel', onclick: () => dialog.close('cancel') }, 'Cancel'),
        h('button', { type: 'button', class: 'danger solid', onclick: () => dialog.close('confirm') }, confirm)));
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(dialog.returnValue === 'confirm');
    });
    document.body.append(dialog);
    dialog.showModal();
    dialog.querySelector('.cancel').focus();
  });
}
