// A bucket's notification configuration as S3 defines it: function triggers are
// <CloudFunctionConfiguration> (Id, CloudFunction, Event…, Filter/S3Key/FilterRule). Topic and queue
// configurations are kept verbatim, so saving a trigger never drops rules the console does not edit.
import { kids, text, s3 } from './s3.js';

export const EVENT_TYPES = [
  's3:ObjectCreated:*',
  's3:ObjectCreated:Put',
  's3:ObjectCreated:Post',
  's3:ObjectCreated:Copy',
  's3:ObjectCreated:CompleteMultipartUpload',
  's3:ObjectRemoved:*',
  's3:ObjectRemoved:Delete',
];

const FUNCTION_ELEMENTS = ['CloudFunctionConfiguration', 'LambdaFunctionConfiguration'];

/** {triggers: [{id, arn, events, prefix, suffix}], others: [xml strings]} from a GetBucketNotification document. */
export function readNotification(doc) {
  const root = doc.documentElement;
  const triggers = [];
  const others = [];
  for (const el of [...root.children]) {
    if (FUNCTION_ELEMENTS.includes(el.localName)) {
      const rules = kids(kids(kids(el, 'Filter')[0], 'S3Key')[0], 'FilterRule');
      const rule = (name) => rules.find((r) => (text(r, 'Name') ?? '').toLowerCase() === name);
      triggers.push({
        id: text(el, 'Id') ?? '',
        arn: text(el, 'CloudFunction') ?? text(el, 'Function') ?? '',
        events: kids(el, 'Event').map((e) => e.textContent),
        prefix: rule('prefix') ? text(rule('prefix'), 'Value') : '',
        suffix: rule('suffix') ? text(rule('suffix'), 'Value') : '',
      });
    } else {
      others.push(new XMLSerializer().serializeToString(el));
    }
  }
  return { triggers, others };
}

function esc(value) {
  return String(value).replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]);
}

/** The PutBucketNotification body for these triggers plus the untouched other configurations. */
export function writeNotification({ triggers, others }) {
  const functions = triggers.map((t) => {
    const rules = [['prefix', t.prefix], ['suffix', t.suffix]]
      .filter(([, v]) => v)
      .map(([n, v]) => `<FilterRule><Name>${n}</Name><Value>${esc(v)}</Value></FilterRule>`)
      .join('');
    return '<CloudFunctionConfiguration>'
      + (t.id ? `<Id>${esc(t.id)}</Id>` : '')
      + `<CloudFunction>${esc(t.arn)}</CloudFunction>`
      + t.events.map((e) => `<Event>${esc(e)}</Event>`).join('')
      + (rules ? `<Filter><S3Key>${rules}</S3Key></Filter>` : '')
      + '</CloudFunctionConfiguration>';
  });
  return `<?xml version="1.0" encoding="UTF-8"?><NotificationConfiguration xmlns="${s3.NS}">${others.join('')}${functions.join('')}</NotificationConfiguration>`;
}
