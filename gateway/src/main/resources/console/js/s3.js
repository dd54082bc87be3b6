// The S3 REST API, path style (/bucket/key), unsigned: the platform's store accepts same-origin calls.
import { call, upload, ApiError } from './api.js';

const NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

function parse(text) {
  return new DOMParser().parseFromString(text, 'application/xml');
}

/** Direct children of el named name (any namespace). */
export function kids(el, name) {
  return el ? [...el.children].filter((c) => c.localName === name) : [];
}

export function text(el, name) {
  return kids(el, name)[0]?.textContent ?? null;
}

/** /bucket/key with each path segment encoded, so keys with spaces, '+' or '#' address the right object. */
export function objectUrl(bucket, key) {
  return `/${encodeURIComponent(bucket)}/${key.split('/').map(encodeURIComponent).join('/')}`;
}

export const s3 = {
  /** The buckets, or null when this platform has no object store (GET / is not a bucket list). */
  async listBuckets(signal) {
    let response;
    try {
      response = await call('GET', '/', { signal });
    } catch (e) {
      if (e.status === 404 || e.status === 405 || e.status === 501) return null;
      throw e;
    }
    const doc = parse(await response.text());
    if (doc.documentElement.localName !== 'ListAllMyBucketsResult') return null;
    const buckets = kids(doc.documentElement, 'Buckets')[0];
    return kids(buckets, 'Bucket').map((b) => ({ name: text(b, 'Name'), created: text(b, 'CreationDate') }));
  },
  createBucket: (name) => call('PUT', `/${encodeURIComponent(name)}`),
  deleteBucket: (name) => call('DELETE', `/${encodeURIComponent(name)}`),

  /** One page of ListObjectsV2 under prefix with '/' as delimiter: folders and objects. */
  async list(bucket, prefix, token, signal) {
    const query = new URLSearchParams({ 'list-type': '2', prefix: prefix ?? '', delimiter: '/', 'max-keys': '200' });
    if (token) query.set('continuation-token', token);
    const response = await call('GET', `/${encodeURIComponent(bucket)}?${query}`, { signal });
    const root = parse(await response.text()).documentElement;
    if (root.localName !== 'ListBucketResult') throw new ApiError(response.status, null, `unexpected answer to ListObjectsV2: <${root.localName}>`);
    return {
      folders: kids(root, 'CommonPrefixes').map((p) => text(p, 'Prefix')),
      objects: kids(root, 'Contents').map((c) => ({
        key: text(c, 'Key'),
        size: Number(text(c, 'Size') ?? 0),
        modified: text(c, 'LastModified'),
        etag: text(c, 'ETag'),
      })),
      next: text(root, 'IsTruncated') === 'true' ? text(root, 'NextContinuationToken') : null,
    };
  },
  putObject: (bucket, key, file, onProgress) =>
    upload('PUT', objectUrl(bucket, key), file, { 'Content-Type': file.type || 'application/octet-stream' }, onProgress),
  deleteObject: (bucket, key) => call('DELETE', objectUrl(bucket, key)),

  async getNotification(bucket, signal) {
    const response = await call('GET', `/${encodeURIComponent(bucket)}?notification`, { signal });
    return parse(await response.text());
  },
  putNotification: (bucket, xml) =>
    call('PUT', `/${encodeURIComponent(bucket)}?notification`, { body: xml, headers: { 'Content-Type': 'application/xml' } }),
  NS,
};
