// The console calls the same endpoints a user could: the Lambda REST API, the S3 REST API (path style)
// and the small JSON API under /_/api/. Every failure becomes an ApiError carrying the platform's own
// error code and message, so pages can show exactly what the API said.

/** A refused or failed call: code is Lambda's x-amzn-ErrorType or S3's <Code>, detail its message. */
export class ApiError extends Error {
  constructor(status, code, detail) {
    super(code ? `${code}: ${detail}` : detail);
    this.status = status;
    this.code = code;
    this.detail = detail;
  }
}

const UNREACHABLE = 'The platform did not answer. Is it still running?';

/** Reads Lambda's {Type, Message} + x-amzn-ErrorType, S3's <Error><Code/><Message/>, or /_/api's {error}. */
function problem(status, statusText, header, text) {
  const errorType = (header('x-amzn-ErrorType') ?? '').split(':')[0] || null;
  const body = (text ?? '').trim();
  if (body.startsWith('{')) {
    try {
      const json = JSON.parse(body);
      const message = json.Message ?? json.message ?? json.error;
      if (message) return new ApiError(status, errorType ?? json.__type ?? null, message);
    } catch {
      // not JSON after all; fall through to the generic message
    }
  }
  if (body.startsWith('<')) {
    const xml = new DOMParser().parseFromString(body, 'application/xml');
    const code = xml.querySelector('Error > Code')?.textContent;
    const message = xml.querySelector('Error > Message')?.textContent;
    if (code || message) return new ApiError(status, code ?? null, message ?? code);
  }
  const detail = body && body.length < 300 && !body.startsWith('<') ? body : `${status} ${statusText}`.trim();
  return new ApiError(status, errorType, detail || `request failed with status ${status}`);
}

/** fetch that throws ApiError for any non-2xx answer and for an unreachable platform. */
export async function call(method, url, { body, headers, signal } = {}) {
  let response;
  try {
    response = await fetch(url, { method, body, headers, signal, cache: 'no-store' });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, null, UNREACHABLE);
  }
  if (!response.ok) {
    const text = await response.text();
    throw problem(response.status, response.statusText, (n) => response.headers.get(n), text);
  }
  return response;
}

async function json(method, url, body, signal) {
  const response = await call(method, url, {
    body: body === undefined ? undefined : JSON.stringify(body),
    headers: body === undefined ? undefined : { 'Content-Type': 'application/json' },
    signal,
  });
  const text = await response.text();
  return text ? JSON.parse(text) : {};
}

/**
 * Sends a body with upload progress (fetch cannot report it): onProgress(fraction) as bytes leave.
 * Resolves with the response text; rejects with ApiError.
 */
export function upload(method, url, body, headers, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, url);
    for (const [k, v] of Object.entries(headers ?? {})) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress?.(e.loaded / e.total);
    };
    xhr.upload.onload = () => onProgress?.(1);
    xhr.onerror = () => reject(new ApiError(0, null, UNREACHABLE));
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) resolve(xhr.responseText);
      else reject(problem(xhr.status, xhr.statusText, (n) => xhr.getResponseHeader(n), xhr.responseText));
    };
    xhr.send(body);
  });
}

const fn = (name) => `/2015-03-31/functions/${encodeURIComponent(name)}`;

export const lambda = {
  async listFunctions(signal) {
    const all = [];
    let marker = null;
    do {
      const query = marker ? `?MaxItems=50&Marker=${encodeURIComponent(marker)}` : '?MaxItems=50';
      const page = await json('GET', `/2015-03-31/functions/${query}`, undefined, signal);
      all.push(...(page.Functions ?? []));
      marker = page.NextMarker ?? null;
    } while (marker);
    return all;
  },
  getFunction: (name, signal) => json('GET', fn(name), undefined, signal),
  async createFunction(request, onProgress) {
    return JSON.parse(await upload('POST', '/2015-03-31/functions', JSON.stringify(request), { 'Content-Type': 'application/json' }, onProgress));
  },
  async updateCode(name, zipBase64, onProgress) {
    return JSON.parse(await upload('PUT', `${fn(name)}/code`, JSON.stringify({ ZipFile: zipBase64 }), { 'Content-Type': 'application/json' }, onProgress));
  },
  updateConfiguration: (name, settings) => json('PUT', `${fn(name)}/configuration`, settings),
  deleteFunction: (name) => call('DELETE', fn(name)),
  putConcurrency: (name, reserved) =>
    json('PUT', `/2017-10-31/functions/${encodeURIComponent(name)}/concurrency`, { ReservedConcurrentExecutions: reserved }),
  deleteConcurrency: (name) => call('DELETE', `/2017-10-31/functions/${encodeURIComponent(name)}/concurrency`),
  /** The provisioned concurrency config (sandboxes kept warm, and their Status), or null when there is none. */
  async getPrewarm(name, signal) {
    try {
      return await json('GET', `/2019-09-30/functions/${encodeURIComponent(name)}/provisioned-concurrency?Qualifier=$LATEST`, undefined, signal);
    } catch (e) {
      if (e.status === 404) return null;
      throw e;
    }
  },
  putPrewarm: (name, sandboxes) => json('PUT', `/2019-09-30/functions/${encodeURIComponent(name)}/provisioned-concurrency?Qualifier=$LATEST`,
    { ProvisionedConcurrentExecutions: sandboxes }),
  deletePrewarm: (name) => call('DELETE', `/2019-09-30/functions/${encodeURIComponent(name)}/provisioned-concurrency?Qualifier=$LATEST`),
  /** The async settings, or null when the function has none (Lambda answers 404 then). */
  async getEventInvokeConfig(name, signal) {
    try {
      return await json('GET', `/2019-09-25/functions/${encodeURIComponent(name)}/event-invoke-config`, undefined, signal);
    } catch (e) {
      if (e.status === 404 && e.code === 'ResourceNotFoundException') return null;
      throw e;
    }
  },
  putEventInvokeConfig: (name, config) => json('PUT', `/2019-09-25/functions/${encodeURIComponent(name)}/event-invoke-config`, config),
  deleteEventInvokeConfig: (name) => call('DELETE', `/2019-09-25/functions/${encodeURIComponent(name)}/event-invoke-config`),

  /**
   * A synchronous Invoke with LogType Tail, marked as a console run. Function errors are not thrown:
   * they come back with functionError set, as Lambda answers them (200 + X-Amz-Function-Error).
   */
  async invoke(name, payload) {
    const response = await call('POST', `${fn(name)}/invocations`, {
      body: payload,
      headers: { 'X-Amz-Log-Type': 'Tail', 'X-Amz-Invocation-Type': 'RequestResponse', 'X-Tarsier-Trigger': 'console' },
    });
    const logResult = response.headers.get('X-Amz-Log-Result');
    return {
      requestId: response.headers.get('x-amzn-RequestId'),
      functionError: response.headers.get('X-Amz-Function-Error'),
      log: logResult ? decodeBase64Text(logResult) : '',
      payload: await response.text(),
    };
  },
};

export const records = {
  invocations(filter, signal) {
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(filter)) if (v !== undefined && v !== null && v !== '') query.set(k, v);
    return json('GET', `/_/api/invocations?${query}`, undefined, signal).then((r) => r.invocations);
  },
  invocation: (id, signal) => json('GET', `/_/api/invocations/${encodeURIComponent(id)}`, undefined, signal),
  recentLogs: (name, signal) => call('GET', `/_/api/functions/${encodeURIComponent(name)}/logs?limit=20`, { signal }).then((r) => r.text()),
  followUrl: (name) => `/_/api/functions/${encodeURIComponent(name)}/logs?follow=true`,
  health: (signal) => json('GET', '/_/health', undefined, signal),
  metrics: (signal) => call('GET', '/_/metrics', { signal }).then((r) => r.text()),
};

/** Base64 of UTF-8 text (X-Amz-Log-Result) back to text. */
export function decodeBase64Text(base64) {
  const binary = atob(base64);
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/** Base64 of a Blob or bytes, read by the browser itself so a 50 MB zip does not go through strings twice. */
export function base64Of(data) {
  const blob = data instanceof Blob ? data : new Blob([data]);
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).slice(String(reader.result).indexOf(',') + 1));
    reader.onerror = () => reject(new ApiError(0, null, `could not read the file: ${reader.error?.message}`));
    reader.readAsDataURL(blob);
  });
}
