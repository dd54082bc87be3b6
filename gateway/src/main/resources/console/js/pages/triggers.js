// A bucket's function triggers: which object events (with an optional key prefix and suffix) invoke
// which function. Saving reads the current configuration first and writes it back whole, as S3's
// PutBucketNotificationConfiguration replaces everything.
import { h, field, select, notice, busy, uid } from '../dom.js';
import { lambda, ApiError } from '../api.js';
import { s3 } from '../s3.js';
import { EVENT_TYPES, readNotification, writeNotification } from '../notifications.js';

export async function triggersPanel(view, bucket, signal) {
  const section = h('section', { id: 'triggers', 'aria-labelledby': 'triggers-title' }, h('h2', { id: 'triggers-title' }, 'Triggers'));
  view.append(section);
  const note = notice();
  // A store without notifications must not take the rest of the bucket page down with it.
  const [doc, functions] = await Promise.all([
    s3.getNotification(bucket, signal).catch((e) => {
      if (e.name === 'AbortError') throw e;
      note.error(e);
      return null;
    }),
    lambda.listFunctions(signal)]);
  const table = h('tbody');
  const draw = (config) => {
    table.replaceChildren();
    if (!config.triggers.length) table.append(h('tr', null, h('td', { colspan: '5', class: 'empty' }, 'No triggers: writes to this bucket invoke nothing.')));
    for (const t of config.triggers) {
      const remove = h('button', { type: 'button', class: 'danger', 'aria-label': `Remove trigger ${t.id}` }, 'Remove');
      remove.addEventListener('click', () => busy(remove, note, async () => {
        const current = readNotification(await s3.getNotification(bucket));
        current.triggers = current.triggers.filter((x) => !(x.id === t.id && x.arn === t.arn));
        await s3.putNotification(bucket, writeNotification(current));
        draw(current);
        note.ok('Trigger removed.');
      }));
      table.append(h('tr', { dataset: { trigger: t.id } },
        h('td', { 'data-label': 'Function' }, t.arn.split(':').pop()),
        h('td', { 'data-label': 'Events' }, t.events.join(', ')),
        h('td', { 'data-label': 'Prefix', class: 'mono' }, t.prefix || '–'),
        h('td', { 'data-label': 'Suffix', class: 'mono' }, t.suffix || '–'),
        h('td', { 'data-label': 'Actions' }, remove)));
    }
  };
  if (doc) draw(readNotification(doc));

  const fnSelect = select({ id: 'trigger-function' }, functions.length
    ? functions.map((f) => [f.FunctionArn, f.FunctionName])
    : [['', 'Create a function first']]);
  const boxes = EVENT_TYPES.map((type, i) => {
    const box = h('input', { type: 'checkbox', value: type, id: uid('event'), checked: i === 0, class: 'trigger-event' });
    return h('div', { class: 'field inline' }, box, h('label', { for: box.id, class: 'mono' }, type));
  });
  const prefix = h('input', { type: 'text', id: 'trigger-prefix', spellcheck: 'false', placeholder: 'uploads/' });
  const suffix = h('input', { type: 'text', id: 'trigger-suffix', spellcheck: 'false', placeholder: '.jpg' });
  const add = h('button', { type: 'submit', class: 'primary', id: 'trigger-add' }, 'Add trigger');
  const form = h('form', { novalidate: true, id: 'trigger-form' },
    h('h3', null, 'Add a trigger'),
    h('fieldset', null, h('legend', null, 'Events'), h('div', { class: 'row' }, boxes)),
    h('div', { class: 'row' }, field('Key prefix', prefix, 'Optional'), field('Key suffix', suffix, 'Optional'), field('Function', fnSelect)),
    add);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(add, note, async () => {
      const events = boxes.map((b) => b.querySelector('input')).filter((b) => b.checked).map((b) => b.value);
      if (!events.length) throw new ApiError(0, null, 'Choose at least one event type.');
      if (!fnSelect.value) throw new ApiError(0, null, 'Choose the function to invoke.');
      const current = readNotification(await s3.getNotification(bucket));
      const name = fnSelect.selectedOptions[0].textContent;
      current.triggers.push({
        id: `${name}-${Date.now().toString(36)}`,
        arn: fnSelect.value,
        events,
        prefix: prefix.value.trim(),
        suffix: suffix.value.trim(),
      });
      await s3.putNotification(bucket, writeNotification(current));
      draw(readNotification(await s3.getNotification(bucket)));
      note.ok(`Trigger added: ${events.join(', ')} → ${name}.`);
    });
  });

  section.append(
    note.el,
    h('table', { class: 'cards', id: 'trigger-list' },
      h('thead', null, h('tr', null, ['Function', 'Events', 'Prefix', 'Suffix'].map((t) => h('th', { scope: 'col' }, t)),
        h('th', { scope: 'col' }, h('span', { class: 'muted' }, 'Actions')))),
      table),
    form);
}
