// Single-file functions written in the console: where the file goes in the zip, the handler string
// that names it, and a starting point for each runtime.

export const INLINE_RUNTIMES = ['nodejs20.x', 'python3.11'];

const NODE = `// Called once per event. Return a value (or a Promise) to answer; throw to fail.
export const handler = async (event, context) => {
  console.log('event', JSON.stringify(event));
  const name = typeof event === 'string' ? event : event?.name ?? 'world';
  return { message: \`Hello, \${name}!\`, requestId: context.awsRequestId };
};
`;

const PYTHON = `import json


def lambda_handler(event, context):
    """Called once per event. Return a value to answer; raise to fail."""
    print("event", json.dumps(event))
    name = event if isinstance(event, str) else (event or {}).get("name", "world")
    return {"message": f"Hello, {name}!", "requestId": context.aws_request_id}
`;

/** {file, handler, mode, template} for an inline runtime, or null for runtimes that need a zip. */
export function inlineSource(runtime) {
  if (runtime.startsWith('nodejs')) return { file: 'index.mjs', handler: 'index.handler', mode: 'javascript', template: NODE };
  if (runtime.startsWith('python')) return { file: 'lambda_function.py', handler: 'lambda_function.lambda_handler', mode: 'python', template: PYTHON };
  return null;
}

/** The handler a zip of this runtime usually names, as a hint. */
export function usualHandler(runtime) {
  if (runtime.startsWith('java')) return 'example.Hello::handleRequest';
  if (runtime.startsWith('provided')) return 'bootstrap';
  return inlineSource(runtime)?.handler ?? '';
}

const KEY = (name) => `tarsier.source.${name}`;

/** The source this browser last saved for a function, so the Code tab can edit it again. */
export function savedSource(name) {
  try {
    return JSON.parse(localStorage.getItem(KEY(name)) ?? 'null');
  } catch {
    return null;
  }
}

export function saveSource(name, source) {
  localStorage.setItem(KEY(name), JSON.stringify(source));
}

export function forgetSource(name) {
  localStorage.removeItem(KEY(name));
}
