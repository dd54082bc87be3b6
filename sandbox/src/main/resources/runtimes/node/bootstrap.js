'use strict';
// Tarsier's runtime for nodejs20.x. Speaks the Lambda Runtime API (2018-06-01) to the address in
// AWS_LAMBDA_RUNTIME_API and calls the handler named by _HANDLER ("path/file.function") the way AWS
// Lambda's Node.js runtime does: context.done/succeed/fail, callbacks, promises, Lambda's log prefix.
// Node's standard library only: every module loaded here is paid for on each cold start.

const fs = require('fs');
const http = require('http');
const path = require('path');
const util = require('util');
const { pathToFileURL } = require('url');

const env = process.env;
const TASK_ROOT = env.LAMBDA_TASK_ROOT || '/var/task';
const API_PREFIX = '/2018-06-01/runtime/';
const ERROR_TYPE_HEADER = 'Lambda-Runtime-Function-Error-Type';
const MAX_RESPONSE_BYTES = 6 * 1024 * 1024 + 100;
const [API_HOST, API_PORT] = splitAddress(env.AWS_LAMBDA_RUNTIME_API || '127.0.0.1:9001');
// One connection, kept open: the long poll for the next event and the answers share it.
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

// The invocation in flight, or null during init; Lambda prints "undefined" as the request id then.
let current = null;

function splitAddress(address) {
  const colon = address.lastIndexOf(':');
  return [address.slice(0, colon), Number(address.slice(colon + 1))];
}

// ---- Logging: Lambda's text format, written synchronously so that every line of an invocation is in
// the log file before its answer is posted (the platform reads the file once the answer is in).

function writeOut(text) {
  const bytes = Buffer.from(text, 'utf8');
  for (let off = 0; off < bytes.length;) {
    off += fs.writeSync(1, bytes, off, bytes.length - off);
  }
}

function logRecord(level, message) {
  const requestId = current ? current.requestId : undefined;
  // Newlines become carriage returns so a multi-line message stays one log record, as on Lambda.
  writeOut(`${new Date().toISOString()}\t${requestId}\t${level}\t${message.replace(/\n/g, '\r')}\n`);
}

function patchConsole() {
  const levels = { log: 'INFO', info: 'INFO', warn: 'WARN', error: 'ERROR', debug: 'DEBUG', trace: 'TRACE', fatal: 'FATAL' };
  for (const [method, level] of Object.entries(levels)) {
    console[method] = (...args) => logRecord(level, util.format(...args));
  }
}

// ---- Errors, shaped as Lambda's Node.js runtime shapes them.

function isErrorLike(err) {
  return err instanceof Error || (err !== null && typeof err === 'object' && typeof err.message === 'string' && 'name' in err);
}

/** The body of /error and /init/error: {errorType, errorMessage, trace}. */
function errorBody(err) {
  if (isErrorLike(err)) {
    return { errorType: String(err.name), errorMessage: String(err.message), trace: String(err.stack || '').split('\n') };
  }
  return { errorType: typeof err, errorMessage: String(err), trace: [] };
}

/** How Lambda logs an error: the same fields, with "stack" for "trace". */
function formatted(err) {
  const body = errorBody(err);
  return '\t' + JSON.stringify({ errorType: body.errorType, errorMessage: body.errorMessage, stack: body.trace });
}

/** An error of the runtime's own kind (Runtime.ImportModuleError ...), keeping the cause's frames. */
function runtimeError(type, message, cause) {
  const err = new Error(message);
  err.name = type;
  const frames = cause && cause.stack ? String(cause.stack).split('\n').filter((line) => line.startsWith('    at ')) : [];
  err.stack = [`${type}: ${message}`, ...frames].join('\n');
  return err;
}

// ---- The Runtime API client.

function call(method, resource, body, headers, retried) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(body, 'utf8');
    const req = http.request({
      agent, host: API_HOST, port: API_PORT, method, path: API_PREFIX + resource,
      headers: payload ? { 'Content-Type': 'application/json', 'Content-Length': payload.length, ...headers } : headers,
    }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', (err) => {
      // A kept-alive connection the server closed while idle: Node's advice is to try once more.
      if (req.reusedSocket && err.code === 'ECONNRESET' && !retried) {
        call(method, resource, body, headers, true).then(resolve, reject);
      } else {
        reject(err);
      }
    });
    req.end(payload);
  });
}

async function post(resource, body, headers) {
  const res = await call('POST', resource, body, headers);
  if (res.status !== 202) {
    const failure = new Error(`Runtime API answered ${res.status} to POST ${resource}: ${res.body}`);
    failure.status = res.status;
    throw failure;
  }
}

function postError(resource, err) {
  const body = errorBody(err);
  return post(resource, JSON.stringify(body), { [ERROR_TYPE_HEADER]: body.errorType });
}

async function postResult(requestId, result) {
  let json;
  try {
    json = JSON.stringify(result === undefined ? null : result);
  } catch (err) {
    return postError(`invocation/${requestId}/error`, runtimeError('Runtime.MarshalError', 'Unable to stringify response body', err));
  }
  if (Buffer.byteLength(json, 'utf8') > MAX_RESPONSE_BYTES) {
    return postError(`invocation/${requestId}/error`, runtimeError('Function.ResponseSizeTooLarge',
      `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`));
  }
  return post(`invocation/${requestId}/response`, json);
}

// ---- Loading the handler.

function fileExists(file) {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function classifyLoadError(err) {
  if (err instanceof SyntaxError) {
    return runtimeError('Runtime.UserCodeSyntaxError', String(err), err);
  }
  if (err && (err.code === 'MODULE_NOT_FOUND' || err.code === 'ERR_MODULE_NOT_FOUND')) {
    return runtimeError('Runtime.ImportModuleError', String(err), err);
  }
  return err;
}

async function importFile(file) {
  try {
    return file.endsWith('.mjs') ? await import(pathToFileURL(file).href) : require(file);
  } catch (err) {
    if (err && err.code === 'ERR_REQUIRE_ESM') {
      // A .js file in a package of "type": "module".
      try {
        return await import(pathToFileURL(file).href);
      } catch (esmErr) {
        throw classifyLoadError(esmErr);
      }
    }
    throw classifyLoadError(err);
  }
}

/** The module for "dir/name": name, name.js, name.mjs or name.cjs in dir, else Node's own resolution. */
async function loadModule(dir, name) {
  const base = path.resolve(TASK_ROOT, dir, name);
  for (const extension of ['', '.js', '.mjs', '.cjs']) {
    if (fileExists(base + extension)) {
      return importFile(base + extension);
    }
  }
  let resolved;
  try {
    resolved = require.resolve(name, { paths: [path.resolve(TASK_ROOT, dir), TASK_ROOT] });
  } catch (err) {
    throw classifyLoadError(err);
  }
  return importFile(resolved);
}

async function loadHandler(handlerString) {
  if (handlerString.includes('..')) {
    throw runtimeError('Runtime.MalformedHandlerName',
      `'${handlerString}' is not a valid handler name. Use absolute paths when specifying root directories in handler names.`);
  }
  const file = path.basename(handlerString);
  const dir = handlerString.slice(0, handlerString.length - file.length);
  const match = /^([^.]*)\.(.*)$/.exec(file);
  if (!match) {
    throw runtimeError('Runtime.MalformedHandlerName', 'Bad handler');
  }
  const app = await loadModule(dir, match[1]);
  const handler = match[2].split('.').reduce((value, key) => (value == null ? undefined : value[key]), app);
  if (handler === undefined) {
    throw runtimeError('Runtime.HandlerNotFound', `${handlerString} is undefined or not exported`);
  }
  if (typeof handler !== 'function') {
    throw runtimeError('Runtime.HandlerNotFound', `${handlerString} is not a function`);
  }
  return handler;
}

// ---- One invocation.

function parseJson(text) {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

function makeContext(requestId, headers, complete) {
  const deadline = Number(headers['lambda-runtime-deadline-ms']);
  const context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: headers['lambda-runtime-invoked-function-arn'],
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: requestId,
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME,
    clientContext: parseJson(headers['lambda-runtime-client-context']),
    identity: parseJson(headers['lambda-runtime-cognito-identity']),
    getRemainingTimeInMillis: () => deadline - Date.now(),
  };
  // The legacy context methods answer at once: Lambda's done() stops waiting for the event loop.
  const done = (err, result) => {
    context.callbackWaitsForEmptyEventLoop = false;
    complete(err, result);
  };
  Object.defineProperties(context, {
    done: { value: done },
    succeed: { value: (result) => done(null, result) },
    fail: { value: (err) => done(err === undefined || err === null ? '__emptyFailParamBackCompat' : err, null) },
  });
  return context;
}

/** Runs one event; resolves once its answer has been posted. */
function invoke(handler, next) {
  return new Promise((resolve, reject) => {
    const requestId = next.headers['lambda-runtime-aws-request-id'];
    const invocation = { requestId, answered: false, pending: null };
    current = invocation;
    if (next.headers['lambda-runtime-trace-id']) {
      env._X_AMZN_TRACE_ID = next.headers['lambda-runtime-trace-id'];
    } else {
      delete env._X_AMZN_TRACE_ID;
    }

    const answer = (err, result) => {
      if (invocation.answered) {
        return;
      }
      invocation.answered = true;
      process.removeListener('beforeExit', onEmptyEventLoop);
      let posted;
      if (err !== undefined && err !== null) {
        console.error('Invoke Error', formatted(err));
        posted = postError(`invocation/${requestId}/error`, err);
      } else {
        posted = postResult(requestId, result);
      }
      posted.then(resolve, reject);
    };
    // The event loop ran dry: give what the callback was called with, or null as Lambda does when a
    // handler never answered.
    const onEmptyEventLoop = () => answer(...(invocation.pending || [null, undefined]));
    process.on('beforeExit', onEmptyEventLoop);

    const context = makeContext(requestId, next.headers, (err, result) => answer(err, result));
    const callback = (err, result) => {
      if (invocation.answered || invocation.pending) {
        return;
      }
      if (context.callbackWaitsForEmptyEventLoop) {
        invocation.pending = [err, result];
      } else {
        answer(err, result);
      }
    };

    let event;
    try {
      event = next.body === '' ? {} : JSON.parse(next.body);
    } catch (err) {
      answer(runtimeError('Runtime.UnmarshalError', `Unable to parse event: ${err.message}`, err));
      return;
    }
    try {
      const returned = handler(event, context, callback);
      if (returned && typeof returned.then === 'function') {
        returned.then((result) => answer(null, result), (err) => answer(err === undefined || err === null ? new Error(String(err)) : err));
      }
    } catch (err) {
      answer(err);
    }
  });
}

// ---- Init and the loop.

async function initialise() {
  try {
    return await loadHandler(env._HANDLER || '');
  } catch (err) {
    console.error('Uncaught Exception', formatted(err));
    await postError('init/error', err).catch(() => {});
    process.exit(1);
  }
}

/** An error the handler threw outside its own call (a timer, an event) ends the invocation and the process, as on Lambda. */
function onStrayError(label, err, exitCode) {
  console.error(label, formatted(err));
  const invocation = current;
  if (invocation && !invocation.answered) {
    invocation.answered = true;
    postError(`invocation/${invocation.requestId}/error`, err).finally(() => process.exit(exitCode));
  } else if (!invocation) {
    postError('init/error', err).finally(() => process.exit(exitCode));
  } else {
    process.exit(exitCode);
  }
}

async function main() {
  patchConsole();
  process.on('uncaughtException', (err) => onStrayError('Uncaught Exception', err, 129));
  process.on('unhandledRejection', (reason) => {
    const err = runtimeError('Runtime.UnhandledPromiseRejection', isErrorLike(reason) ? `${reason.name}: ${reason.message}` : String(reason), reason);
    onStrayError('Unhandled Promise Rejection', err, 128);
  });
  const handler = await initialise();
  for (;;) {
    const next = await call('GET', 'invocation/next');
    if (next.status !== 200) {
      throw new Error(`Runtime API answered ${next.status} to GET invocation/next: ${next.body}`);
    }
    await invoke(handler, next);
  }
}

main().catch((err) => {
  writeOut(`${new Date().toISOString()}\t${current ? current.requestId : undefined}\tERROR\truntime failed: ${String(err && err.stack || err).replace(/\n/g, '\r')}\n`);
  process.exit(1);
});
