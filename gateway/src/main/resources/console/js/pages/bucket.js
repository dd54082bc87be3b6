// One bucket: browse by prefix (folders are common prefixes under '/'), upload by drag and drop with
// progress per file, download, delete, and the bucket's function triggers.
import { h, append, notice, busy } from '../dom.js';
import { s3, objectUrl } from '../s3.js';
import { bytes, dateTime } from '../format.js';
import { go } from '../nav.js';
import { confirmDialog, dropZone, progressLine } from '../widgets.js';
import { triggersPanel } from './triggers.js';

export async function bucketPage(view, { params, query, signal }) {
  const bucket = params[0];
  const prefix = query.get('prefix') ?? '';
  const note = notice();
  const body = h('tbody');
  const more = h('button', { type: 'button', id: 'objects-more', hidden: true }, 'Load more');
  const browse = (p) => go(`/buckets/${encodeURIComponent(bucket)}`, p ? { prefix: p } : undefined);

  const crumbs = [h('a', { href: `#/buckets/${encodeURIComponent(bucket)}` }, bucket)];
  let acc = '';
  for (const part of prefix.split('/').filter(Boolean)) {
    acc += `${part}/`;
    const target = acc;
    crumbs.push(h('span', { class: 'sep' }, '/'), h('a', { href: `#/buckets/${encodeURIComponent(bucket)}?${new URLSearchParams({ prefix: target })}` }, part));
  }

  const uploads = h('ul', { class: 'uploads', id: 'uploads' });
  const zone = dropZone({
    label: `Upload to ${bucket}/${prefix}`,
    multiple: true,
    onFiles: (files) => files.forEach((file) => uploadOne(file)),
  });
  zone.input.id = 'object-file';
  const uploadOne = async (file) => {
    const key = prefix + file.name;
    const line = progressLine(key);
    line.el.dataset.key = key;
    const item = h('li', null, line.el);
    uploads.append(item);
    try {
      await s3.putObject(bucket, key, file, (f) => line.set(f));
      line.set(1, 'uploaded');
      line.el.dataset.done = 'true';
      await list();
    } catch (e) {
      line.set(0, 'failed');
      item.append(h('p', { class: 'msg error', role: 'alert' }, h('strong', null, e.code ? `${e.code}:` : 'Error:'), e.detail ?? e.message));
    }
  };

  const row = (o) => {
    const name = o.key.slice(prefix.length);
    const remove = h('button', { type: 'button', class: 'danger', 'aria-label': `Delete ${o.key}` }, 'Delete');
    remove.addEventListener('click', async () => {
      if (!await confirmDialog({ title: `Delete ${o.key}?`, body: 'The object is removed from the bucket; removal triggers fire.', confirm: 'Delete object' })) return;
      await busy(remove, note, async () => {
        await s3.deleteObject(bucket, o.key);
        remove.closest('tr').remove();
        note.ok(`Deleted ${o.key}.`);
      });
    });
    return h('tr', { dataset: { key: o.key } },
      h('td', { 'data-label': 'Name' }, name),
      h('td', { class: 'num', 'data-label': 'Size' }, bytes(o.size)),
      h('td', { 'data-label': 'Last modified' }, dateTime(o.modified)),
      h('td', { 'data-label': 'Actions' },
        h('a', { class: 'button', href: objectUrl(bucket, o.key), download: name, 'aria-label': `Download ${o.key}` }, 'Download'), ' ', remove));
  };
  const folderRow = (p) => h('tr', { dataset: { prefix: p } },
    h('td', { 'data-label': 'Name' }, h('a', { href: `#/buckets/${encodeURIComponent(bucket)}?${new URLSearchParams({ prefix: p })}` }, `${p.slice(prefix.length)}`)),
    h('td', { class: 'num', 'data-label': 'Size' }, '–'), h('td', { 'data-label': 'Last modified' }, 'folder'), h('td', { 'data-label': 'Actions' }));

  let token = null;
  const list = async (append = false) => {
    const page = await s3.list(bucket, prefix, append ? token : null, signal);
    token = page.next;
    if (!append) body.replaceChildren();
    body.append(...page.folders.map(folderRow), ...page.objects.map(row));
    more.hidden = !token;
    if (!body.children.length) body.append(h('tr', null, h('td', { colspan: '4', class: 'empty' }, prefix ? 'Nothing under this prefix.' : 'The bucket is empty.')));
  };
  more.addEventListener('click', () => busy(more, note, () => list(true)));

  const prefixInput = h('input', { type: 'search', id: 'prefix', value: prefix, spellcheck: 'false', placeholder: 'photos/2026/' });
  const prefixForm = h('form', { class: 'toolbar', role: 'search', 'aria-label': 'Browse by prefix' },
    h('div', { class: 'field' }, h('label', { for: 'prefix' }, 'Prefix'), prefixInput),
    h('div', { class: 'field action' }, h('button', { type: 'submit' }, 'Browse')));
  prefixForm.addEventListener('submit', (e) => {
    e.preventDefault();
    browse(prefixInput.value);
  });

  // dom.js's append, not the DOM's: it leaves out the breadcrumb when there is none instead of printing null.
  append(view,
    h('p', { class: 'muted' }, h('a', { href: '#/buckets' }, 'Buckets'), ' / '),
    h('h1', null, bucket),
    prefix ? h('nav', { class: 'breadcrumb', 'aria-label': 'Prefix' }, crumbs) : null,
    prefixForm,
    zone.el, uploads, note.el,
    h('table', { class: 'cards', id: 'objects' },
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Name'), h('th', { scope: 'col', class: 'num' }, 'Size'),
        h('th', { scope: 'col' }, 'Last modified'), h('th', { scope: 'col' }, h('span', { class: 'muted' }, 'Actions')))),
      body),
    more);
  await list();
  await triggersPanel(view, bucket, signal);
}
