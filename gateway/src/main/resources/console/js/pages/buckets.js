// Buckets: list them (S3 ListBuckets), create one, delete an empty one.
import { h, field, notice, busy } from '../dom.js';
import { s3 } from '../s3.js';
import { dateTime } from '../format.js';
import { href, go } from '../nav.js';
import { confirmDialog } from '../widgets.js';

export async function bucketsPage(view, { signal }) {
  view.append(h('h1', null, 'Buckets'));
  const buckets = await s3.listBuckets(signal);
  if (buckets === null) {
    view.append(h('p', { class: 'msg info', id: 'no-store' },
      'This platform has no object store: GET / did not answer with a bucket list (ListAllMyBucketsResult).'));
    return;
  }
  const name = h('input', { type: 'text', id: 'bucket-name', autocomplete: 'off', spellcheck: 'false', pattern: '[a-z0-9.-]{3,63}' });
  const create = h('button', { type: 'submit', class: 'primary', id: 'bucket-create' }, 'Create bucket');
  const note = notice();
  const form = h('form', { novalidate: true, class: 'toolbar', id: 'bucket-form' },
    field('New bucket name', name, '3 to 63 characters: lowercase letters, digits, dots and hyphens'), h('div', { class: 'field action' }, create));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(create, note, async () => {
      await s3.createBucket(name.value.trim());
      go(`/buckets/${encodeURIComponent(name.value.trim())}`);
    });
  });
  view.append(form, note.el);
  if (buckets.length === 0) {
    view.append(h('p', { class: 'empty' }, 'No buckets yet.'));
    return;
  }
  view.append(h('table', { class: 'cards', id: 'buckets' },
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Name'), h('th', { scope: 'col' }, 'Created'), h('th', { scope: 'col' }, h('span', { class: 'muted' }, 'Actions')))),
    h('tbody', null, buckets.map((b) => {
      const remove = h('button', { type: 'button', class: 'danger', 'aria-label': `Delete bucket ${b.name}` }, 'Delete');
      remove.addEventListener('click', async () => {
        if (!await confirmDialog({ title: `Delete bucket ${b.name}?`, body: 'S3 deletes only empty buckets; its triggers go with it.', confirm: 'Delete bucket' })) return;
        await busy(remove, note, async () => {
          await s3.deleteBucket(b.name);
          remove.closest('tr').remove();
          note.ok(`Deleted bucket ${b.name}.`);
        });
      });
      return h('tr', { dataset: { bucket: b.name } },
        h('td', { 'data-label': 'Name' }, h('a', { href: href('buckets', b.name) }, b.name)),
        h('td', { 'data-label': 'Created' }, dateTime(b.created)),
        h('td', { 'data-label': 'Actions' }, remove));
    }))));
}
