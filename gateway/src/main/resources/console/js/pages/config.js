// The Configuration tab: UpdateFunctionConfiguration (settings and environment), reserved concurrency,
// pre-warmed sandboxes (provisioned concurrency, with the state they are in) and the asynchronous-
// invocation settings (retries, maximum event age, destinations), each saved through its own Lambda API
// call, in that order, stopping at the first the API refuses.
import { h, field, select, notice, busy } from '../dom.js';
import { lambda, ApiError } from '../api.js';
import { s3 } from '../s3.js';
import { runtimeOptions } from './runtimes.js';

export async function configTab(panel, fn, { signal }) {
  const c = fn.Configuration;
  const name = c.FunctionName;
  const [runtimes, async, functions, buckets, prewarmed] = await Promise.all([
    runtimeOptions(signal),
    lambda.getEventInvokeConfig(name, signal),
    lambda.listFunctions(signal),
    s3.listBuckets(signal).catch(() => null),
    lambda.getPrewarm(name, signal),
  ]);
  const reserved = fn.Concurrency?.ReservedConcurrentExecutions;

  const input = (id, value, props = {}) => h('input', { type: 'text', id, value: value ?? '', spellcheck: 'false', ...props });
  const number = (id, value, min, max) => h('input', { type: 'number', id, value: value ?? '', min, max, step: '1' });
  const description = input('cfg-description', c.Description);
  const runtime = select({ id: 'cfg-runtime', value: c.Runtime }, runtimes.some(([r]) => r === c.Runtime) ? runtimes : [[c.Runtime], ...runtimes]);
  const handler = input('cfg-handler', c.Handler);
  const memory = number('cfg-memory', c.MemorySize, 128, 10240);
  const timeout = number('cfg-timeout', c.Timeout, 1, 900);
  const storage = number('cfg-storage', c.EphemeralStorage?.Size ?? 512, 512, 10240);
  const concurrency = number('cfg-concurrency', reserved, 0, 1000);
  const prewarm = number('cfg-prewarm', prewarmed?.RequestedProvisionedConcurrentExecutions, 1, 1000);
  const retries = select({ id: 'cfg-retries', value: async?.MaximumRetryAttempts ?? '' },
    [['', 'Default (2)'], ['0', '0'], ['1', '1'], ['2', '2']]);
  const maxAge = number('cfg-max-age', async?.MaximumEventAgeInSeconds, 60, 21600);
  const onFailure = input('cfg-on-failure', async?.DestinationConfig?.OnFailure?.Destination, { list: 'destinations' });
  const onSuccess = input('cfg-on-success', async?.DestinationConfig?.OnSuccess?.Destination, { list: 'destinations' });
  const destinations = h('datalist', { id: 'destinations' },
    functions.filter((f) => f.FunctionName !== name).map((f) => h('option', { value: f.FunctionArn }, `function ${f.FunctionName}`)),
    (buckets ?? []).map((b) => h('option', { value: `arn:aws:s3:::${b.name}` }, `bucket ${b.name}`)));
  const env = envEditor(c.Environment?.Variables ?? {});
  const note = notice();
  const save = h('button', { type: 'submit', class: 'primary', id: 'cfg-save' }, 'Save configuration');

  const form = h('form', { novalidate: true, id: 'config-form' },
    h('fieldset', null, h('legend', null, 'General'),
      h('div', { class: 'row' }, field('Description', description), field('Runtime', runtime), wide(field('Handler', handler))),
      h('div', { class: 'row' },
        field('Memory (MB)', memory, '128 to 10240; CPU grows with it'),
        field('Timeout (s)', timeout, '1 to 900'),
        field('Ephemeral storage /tmp (MB)', storage, '512 to 10240'))),
    h('fieldset', null, h('legend', null, 'Environment variables'), env.el),
    h('fieldset', null, h('legend', null, 'Concurrency'),
      h('div', { class: 'row' },
        field('Reserved concurrency', concurrency, 'Empty: share the unreserved pool. 0 stops all invocations.'),
        field('Pre-warmed sandboxes', prewarm, prewarmStatus(prewarmed)))),
    h('fieldset', null, h('legend', null, 'Asynchronous invocation'),
      h('div', { class: 'row' },
        field('Retry attempts', retries, 'After a failed event'),
        field('Maximum event age (s)', maxAge, '60 to 21600; empty for the default (6 hours)')),
      h('div', { class: 'row' },
        wide(field('On-failure destination', onFailure, 'A function ARN or a bucket ARN (arn:aws:s3:::bucket)')),
        wide(field('On-success destination', onSuccess, 'Optional'))),
      destinations),
    h('div', { class: 'row' }, save),
    note.el);
  panel.append(h('h2', null, 'Configuration'), form);
  const prewarmHint = form.querySelector('#cfg-prewarm-hint');

  let hadAsync = async !== null;
  let hadReserved = reserved !== undefined && reserved !== null;
  let hadPrewarm = prewarmed !== null && prewarmed !== undefined;
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(save, note, async () => {
      await step('settings', () => lambda.updateConfiguration(name, {
        Description: description.value,
        Runtime: runtime.value,
        Handler: handler.value.trim(),
        MemorySize: Number(memory.value),
        Timeout: Number(timeout.value),
        EphemeralStorage: { Size: Number(storage.value) },
        Environment: { Variables: env.value() },
      }));
      if (concurrency.value !== '') {
        await step('reserved concurrency', () => lambda.putConcurrency(name, Number(concurrency.value)));
        hadReserved = true;
      } else if (hadReserved) {
        await step('reserved concurrency', () => lambda.deleteConcurrency(name));
        hadReserved = false;
      }
      let prewarmFailed = null;
      if (prewarm.value !== '') {
        const config = await step('pre-warmed sandboxes', () => lambda.putPrewarm(name, Number(prewarm.value)));
        hadPrewarm = true;
        prewarmHint.textContent = prewarmStatus(config);
        if (config.Status === 'FAILED') prewarmFailed = config.StatusReason;
      } else if (hadPrewarm) {
        await step('pre-warmed sandboxes', () => lambda.deletePrewarm(name));
        hadPrewarm = false;
        prewarmHint.textContent = prewarmStatus(null);
      }
      const destination = (v) => (v.trim() ? { Destination: v.trim() } : undefined);
      const wanted = retries.value !== '' || maxAge.value !== '' || onFailure.value.trim() || onSuccess.value.trim();
      if (wanted) {
        await step('asynchronous invocation', () => lambda.putEventInvokeConfig(name, {
          MaximumRetryAttempts: retries.value === '' ? undefined : Number(retries.value),
          MaximumEventAgeInSeconds: maxAge.value === '' ? undefined : Number(maxAge.value),
          DestinationConfig: { OnFailure: destination(onFailure.value), OnSuccess: destination(onSuccess.value) },
        }));
        hadAsync = true;
      } else if (hadAsync) {
        await step('asynchronous invocation', () => lambda.deleteEventInvokeConfig(name));
        hadAsync = false;
      }
      if (prewarmFailed) {
        note.error({ code: 'Saved, but the pre-warmed sandboxes failed to start', detail: prewarmFailed });
      } else {
        note.ok('Saved. New invocations use this configuration.');
      }
    });
  });
}

/** What the pool has made of the provisioned concurrency config, in a sentence. */
function prewarmStatus(config) {
  if (!config) return 'Kept started and warm (provisioned concurrency). Empty: none.';
  const started = `${config.AllocatedProvisionedConcurrentExecutions} of ${config.RequestedProvisionedConcurrentExecutions} started`;
  if (config.Status === 'FAILED') return `Failed, ${started}: ${config.StatusReason}`;
  if (config.Status === 'IN_PROGRESS') return `Starting, ${started} so far.`;
  return `Ready: ${started}, kept warm (provisioned concurrency). Empty: none.`;
}

function wide(el) {
  el.classList.add('wide');
  return el;
}

/** Runs one save step; a refusal names the step, since one form saves through several calls. */
async function step(what, action) {
  try {
    return await action();
  } catch (e) {
    if (e instanceof ApiError) throw new ApiError(e.status, e.code, `${e.detail} (saving ${what})`);
    throw e;
  }
}

/** Rows of name = value, with add and remove. value() gives {name: value} of the non-empty rows. */
function envEditor(variables) {
  const rows = h('div', { id: 'env-rows' });
  const add = (key = '', value = '') => {
    const k = h('input', { type: 'text', value: key, class: 'env-key', spellcheck: 'false', autocomplete: 'off' });
    const v = h('input', { type: 'text', value, class: 'env-value', spellcheck: 'false', autocomplete: 'off' });
    const row = h('div', { class: 'env-row' }, field('Name', k), field('Value', v));
    row.append(h('div', { class: 'field' }, h('button', { type: 'button', class: 'danger', onclick: () => row.remove(), 'aria-label': `Remove variable ${key}`.trim() }, 'Remove')));
    rows.append(row);
    return k;
  };
  Object.entries(variables).forEach(([k, v]) => add(k, v));
  const addButton = h('button', { type: 'button', id: 'env-add', onclick: () => add().focus() }, 'Add variable');
  return {
    el: h('div', null, rows, addButton),
    value() {
      const out = {};
      for (const row of rows.children) {
        const key = row.querySelector('.env-key').value.trim();
        if (key) out[key] = row.querySelector('.env-value').value;
      }
      return out;
    },
  };
}
