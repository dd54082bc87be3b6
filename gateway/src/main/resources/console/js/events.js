// Test events: templates shaped as the real events are, and the events a user saved per function
// (in this browser's localStorage, like the Lambda console's private test events).

const S3_PUT = {
  Records: [
    {
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'us-east-1',
      eventTime: '2026-01-31T12:00:00.000Z',
      eventName: 'ObjectCreated:Put',
      userIdentity: { principalId: 'EXAMPLE' },
      requestParameters: { sourceIPAddress: '127.0.0.1' },
      responseElements: { 'x-amz-request-id': 'EXAMPLE123456789', 'x-amz-id-2': 'EXAMPLE123/5678abcdefghijklambdaisawesome/mnopqrstuvwxyzABCDEFGH' },
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: 'testConfigRule',
        bucket: { name: 'example-bucket', ownerIdentity: { principalId: 'EXAMPLE' }, arn: 'arn:aws:s3:::example-bucket' },
        object: { key: 'test%2Fkey', size: 1024, eTag: '0123456789abcdef0123456789abcdef', sequencer: '0A1B2C3D4E5F678901' },
      },
    },
  ],
};

const FUNCTION_URL = {
  version: '2.0',
  routeKey: '$default',
  rawPath: '/my/path',
  rawQueryString: 'parameter1=value1&parameter1=value2&parameter2=value',
  cookies: ['cookie1', 'cookie2'],
  headers: { 'content-type': 'application/json', host: 'abcdefghij.lambda-url.localhost:9070', 'user-agent': 'curl/8.0' },
  queryStringParameters: { parameter1: 'value1,value2', parameter2: 'value' },
  requestContext: {
    accountId: '000000000000',
    apiId: 'abcdefghij',
    domainName: 'abcdefghij.lambda-url.localhost:9070',
    domainPrefix: 'abcdefghij',
    http: { method: 'POST', path: '/my/path', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'curl/8.0' },
    requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
    routeKey: '$default',
    stage: '$default',
    time: '31/Jan/2026:12:00:00 +0000',
    timeEpoch: 1769860800000,
  },
  body: '{"name":"Tapir"}',
  isBase64Encoded: false,
};

/** [id, label, event text]; the first is what a new function's Test tab starts with. */
export const TEMPLATES = [
  ['tapir', 'Bare JSON value: "Tapir"', '"Tapir"'],
  ['hello', 'Object: {"name": "Tapir"}', JSON.stringify({ name: 'Tapir' }, null, 2)],
  ['s3-put', 'S3 Put (ObjectCreated:Put)', JSON.stringify(S3_PUT, null, 2)],
  ['function-url', 'Function URL HTTP request', JSON.stringify(FUNCTION_URL, null, 2)],
];

const KEY = (fn) => `tarsier.events.${fn}`;

/** {name: text} of the events saved for a function. */
export function savedEvents(fn) {
  try {
    return JSON.parse(localStorage.getItem(KEY(fn)) ?? '{}') ?? {};
  } catch {
    return {};
  }
}

export function saveEvent(fn, name, text) {
  const events = savedEvents(fn);
  events[name] = text;
  localStorage.setItem(KEY(fn), JSON.stringify(events));
}

export function deleteEvent(fn, name) {
  const events = savedEvents(fn);
  delete events[name];
  localStorage.setItem(KEY(fn), JSON.stringify(events));
}
