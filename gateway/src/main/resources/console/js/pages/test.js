// The Test tab: pick a template or a saved event, Run it synchronously with LogType Tail, then show
// the result, the log exactly as Lambda prints it, and where the time went (from the record).
import { h, append, field, select, notice, busy, prettyJson } from '../dom.js';
import { lambda, records, ApiError } from '../api.js';
import { href } from '../nav.js';
import { TEMPLATES, savedEvents, saveEvent, deleteEvent } from '../events.js';
import { timingsBar, logView } from '../timings.js';

const REPORT = /REPORT RequestId: (\S+)\tDuration: ([\d.]+) ms\tBilled Duration: (\d+) ms\tMemory Size: (\d+) MB\tMax Memory Used: (\d+) MB(?:\tInit Duration: ([\d.]+) ms)?/;
const LAST = (fn) => `tarsier.lastEvent.${fn}`;

export async function testTab(panel, fn, { query, signal }) {
  const name = fn.Configuration.FunctionName;
  const event = h('textarea', { id: 'event', spellcheck: 'false', rows: '10' });
  const templates = select({ id: 'template' }, [['', 'Choose a template…'], ...TEMPLATES.map(([id, label]) => [id, label])]);
  const saved = select({ id: 'saved-event' }, []);
  const saveName = h('input', { type: 'text', id: 'save-name', placeholder: 'e.g. tapir', autocomplete: 'off' });
  const saveButton = h('button', { type: 'button', id: 'save-event' }, 'Save event');
  const deleteButton = h('button', { type: 'button', id: 'delete-event', class: 'danger' }, 'Delete saved event');
  const run = h('button', { type: 'button', class: 'primary', id: 'run' }, 'Run');
  const eventNote = notice();
  const runNote = notice();
  const result = h('div', { id: 'result', 'aria-live': 'polite' });

  const fillSaved = (selected) => {
    const names = Object.keys(savedEvents(name)).sort();
    saved.replaceChildren(h('option', { value: '' }, names.length ? 'Choose a saved event…' : 'No saved events yet'),
      ...names.map((n) => h('option', { value: n }, n)));
    saved.value = selected ?? '';
  };
  fillSaved();
  templates.addEventListener('change', () => {
    const t = TEMPLATES.find(([id]) => id === templates.value);
    if (t) event.value = t[2];
  });
  saved.addEventListener('change', () => {
    const text = savedEvents(name)[saved.value];
    if (text !== undefined) {
      event.value = text;
      saveName.value = saved.value;
    }
  });
  saveButton.addEventListener('click', () => {
    const n = saveName.value.trim();
    if (!n) {
      eventNote.error(new ApiError(0, null, 'Give the event a name to save it under.'));
      return;
    }
    saveEvent(name, n, event.value);
    fillSaved(n);
    eventNote.ok(`Saved "${n}" in this browser.`);
  });
  deleteButton.addEventListener('click', () => {
    if (!saved.value) {
      eventNote.error(new ApiError(0, null, 'Choose a saved event to delete.'));
      return;
    }
    deleteEvent(name, saved.value);
    eventNote.ok(`Deleted "${saved.value}".`);
    fillSaved();
  });
  run.addEventListener('click', () => busy(run, runNote, () => runEvent(name, event.value, result, runNote, signal)));

  panel.append(
    h('h2', null, 'Test event'),
    h('div', { class: 'row' }, field('Template', templates), field('Saved events', saved)),
    field('Event JSON', event, 'Sent as the Invoke payload; saved events stay in this browser.'),
    h('div', { class: 'row end' }, field('Save as', saveName), h('div', { class: 'field action' }, saveButton), h('div', { class: 'field action' }, deleteButton)),
    eventNote.el,
    h('div', { class: 'row' }, run),
    runNote.el,
    result);

  const replay = query.get('replay');
  if (replay) {
    const record = await records.invocation(replay, signal);
    event.value = prettyJson(record.request ?? '');
    runNote.info(`Running again the event of invocation ${record.id} (${record.trigger}, ${record.startedAt}).`);
    await busy(run, runNote, () => runEvent(name, event.value, result, runNote, signal));
  } else {
    event.value = localStorage.getItem(LAST(name)) ?? TEMPLATES[0][2];
  }
}

async function runEvent(name, text, result, note, signal) {
  try {
    JSON.parse(text);
  } catch (e) {
    throw new ApiError(0, null, `The event is not valid JSON: ${e.message}`);
  }
  localStorage.setItem(LAST(name), text);
  result.replaceChildren(h('p', { class: 'muted' }, 'Running…'));
  const answer = await lambda.invoke(name, text);
  const report = answer.log.match(REPORT);
  const timings = h('div', { id: 'timings', 'aria-label': 'Where the time went' },
    h('p', { class: 'muted' }, 'Waiting for the invocation record…'));
  result.replaceChildren();
  append(result,
    h('h2', null, 'Result'),
    h('p', { id: 'run-status', class: `status ${answer.functionError ? 'error' : 'ok'}`, dataset: { outcome: answer.functionError ? 'error' : 'ok' } },
      answer.functionError ? `Failed: the function returned an error (${answer.functionError})` : 'Succeeded'),
    report ? h('dl', { class: 'facts', id: 'report-facts' },
      h('dt', null, 'Request ID'), h('dd', { class: 'mono' }, h('a', { href: href('invocations', answer.requestId) }, answer.requestId)),
      h('dt', null, 'Duration'), h('dd', null, `${report[2]} ms (billed ${report[3]} ms)`),
      h('dt', null, 'Memory'), h('dd', null, `${report[5]} MB used of ${report[4]} MB`),
      h('dt', null, 'Init duration'), h('dd', null, report[6] ? `${report[6]} ms (cold start)` : 'none (warm start)')) : null,
    timings,
    h('pre', { class: 'block', id: 'result-payload', tabindex: '0' }, prettyJson(answer.payload)),
    h('h2', null, 'Log'),
    h('p', { class: 'muted' }, 'The last 4 KB, as Lambda returns it with LogType Tail. ',
      h('a', { href: href('invocations', answer.requestId) }, 'The whole log is in the invocation record.')),
    Object.assign(logView(answer.log), { id: 'log' }));
  const record = await recordOf(answer.requestId, signal);
  timings.replaceChildren(record
    ? timingsBar(record)
    : h('p', { class: 'muted' }, 'The invocation record is not there yet; it will be in the Invocations history.'));
  note.clear();
  return answer;
}

/** The record is written just after the answer goes out, so look again briefly before giving up. */
async function recordOf(id, signal) {
  for (let attempt = 1; attempt <= 15; attempt += 1) {
    try {
      return await records.invocation(id, signal);
    } catch (e) {
      if (e.status !== 404) throw e;
    }
    await new Promise((resolve) => { setTimeout(resolve, 40 * attempt); });
  }
  return null;
}
