import { describe, expect, it } from 'vitest';
import { MalformedResponseError } from '../../../../../infra/local/apigateway/payload/types.ts';
import { buildEventV2, mapResultV2 } from '../../../../../infra/local/apigateway/payload/v2.ts';
import { readRecording } from '../../../../helpers/recordings.ts';

const request = {
  accountId: '000000000000',
  apiId: 'abc123defg',
  stage: '$default',
  method: 'POST',
  rawPath: '/items/42',
  stagePath: '/items/42',
  rawQueryString: 'tag=a&tag=b&q=hello+world',
  headers: {
    host: 'abc123defg.execute-api.localhost:4566',
    'content-type': 'application/json',
    'user-agent': 'test-agent',
    cookie: 'session=1; theme=dark',
    'x-multi': 'one, two',
  },
  body: Buffer.from('{"name":"widget"}'),
  requestId: 'JKJaXmPLvHcESHA=',
  time: new Date(Date.UTC(2020, 2, 12, 19, 3, 58, 390)),
  domainName: 'abc123defg.execute-api.localhost',
  sourceIp: '127.0.0.1',
  routeKey: 'POST /items/{id}',
  pathParameters: { id: '42' },
};

describe('payload format 2.0 event', () => {
  it('carries the request as AWS documents it', () => {
    // Act
    const event = buildEventV2(request);

    // Assess
    expect(event).toEqual({
      version: '2.0',
      routeKey: 'POST /items/{id}',
      rawPath: '/items/42',
      rawQueryString: 'tag=a&tag=b&q=hello+world',
      cookies: ['session=1', 'theme=dark'],
      headers: {
        host: 'abc123defg.execute-api.localhost:4566',
        'content-type': 'application/json',
        'user-agent': 'test-agent',
        'x-multi': 'one, two',
      },
      queryStringParameters: { tag: 'a,b', q: 'hello world' },
      requestContext: {
        accountId: '000000000000',
        apiId: 'abc123defg',
        domainName: 'abc123defg.execute-api.localhost',
        domainPrefix: 'abc123defg',
        http: {
          method: 'POST',
          path: '/items/42',
          protocol: 'HTTP/1.1',
          sourceIp: '127.0.0.1',
          userAgent: 'test-agent',
        },
        requestId: 'JKJaXmPLvHcESHA=',
        routeKey: 'POST /items/{id}',
        stage: '$default',
        time: '12/Mar/2020:19:03:58 +0000',
        timeEpoch: 1584039838390,
      },
      pathParameters: { id: '42' },
      body: '{"name":"widget"}',
      isBase64Encoded: false,
    });
  });

  it('leaves out cookies, query, path parameters and body when there are none', () => {
    // Act
    const event = buildEventV2({
      ...request,
      method: 'GET',
      rawQueryString: '',
      headers: { host: 'h' },
      body: Buffer.alloc(0),
      pathParameters: {},
    });

    // Assess
    expect(Object.keys(event)).toEqual([
      'version',
      'routeKey',
      'rawPath',
      'rawQueryString',
      'headers',
      'requestContext',
      'isBase64Encoded',
    ]);
  });

  it.each([
    ['image/png', true],
    ['application/octet-stream', true],
    ['application/x-www-form-urlencoded', true],
    ['text/plain; charset=utf-8', false],
    ['application/vnd.api+json', false],
  ])('base64-encodes a %s body: %s', (contentType, encoded) => {
    // Prepare
    const bytes = Buffer.from([0x00, 0xff, 0x41]);

    // Act
    const event = buildEventV2({ ...request, headers: { 'content-type': contentType }, body: bytes });

    // Assess
    expect(event.isBase64Encoded).toBe(encoded);
    expect(event.body).toBe(bytes.toString(encoded ? 'base64' : 'utf8'));
  });
});

describe('payload format 2.0 response', () => {
  it.each(['boolean', 'dict', 'integer', 'list', 'statuscode-body'])(
    'maps the function URL recording %s (same 2.0 rules)',
    (name) => {
      // Prepare
      const recorded = readRecording(`lambda-url-response-mapping-${name}.json`).content.lambda_url_invocation;
      const returned = {
        boolean: 'true',
        dict: '{"hello":"world"}',
        integer: '3',
        list: '["hello",3,true]',
        'statuscode-body': '{"statusCode":200,"body":"body123"}',
      }[name]!;

      // Act
      const result = mapResultV2(returned);

      // Assess
      expect(result.status).toBe(recorded.statuscode);
      expect(result.headers['content-type']).toBe(recorded.headers['Content-Type']);
      expect(String(result.body.length)).toBe(recorded.headers['Content-Length']);
      const text = result.body.toString('utf8');
      expect(typeof recorded.content === 'string' ? text : JSON.parse(text)).toEqual(recorded.content);
    },
  );

  // "Create AWS Lambda proxy integrations for HTTP APIs" › Lambda function response for format 2.0:
  // without statusCode, API Gateway assumes 200, application/json, not base64, body = the response.
  it.each([
    ['a string as the string itself', 'Hello from Lambda!', 'Hello from Lambda!'],
    ['a string holding JSON as that text', '{"a":1}', '{"a":1}'],
    ['a number as its JSON text', 3.5, '3.5'],
    ['a boolean as its JSON text', false, 'false'],
    ['an array as its JSON text', ['a', 1, null], '["a",1,null]'],
    [
      'an object without statusCode as its JSON text',
      { message: 'Hello from Lambda!' },
      '{"message":"Hello from Lambda!"}',
    ],
    [
      'an object without statusCode, isBase64Encoded and all, as its JSON text',
      { isBase64Encoded: true, body: 'aGk=' },
      '{"isBase64Encoded":true,"body":"aGk="}',
    ],
  ])('infers a 200 application/json response from %s', (_, returned, body) => {
    // Act
    const result = mapResultV2(JSON.stringify(returned));

    // Assess
    expect(result.status).toBe(200);
    expect(result.headers).toEqual({ 'content-type': 'application/json' });
    expect(result.body.toString('utf8')).toBe(body);
  });

  it('takes an object with statusCode as the response: status, body, application/json by default', () => {
    // Act
    const result = mapResultV2(JSON.stringify({ statusCode: 404, body: 'not here' }));

    // Assess
    expect(result).toEqual({
      status: 404,
      headers: { 'content-type': 'application/json' },
      body: Buffer.from('not here'),
    });
  });

  it('sends the headers of a response, names lowercased, its content-type replacing the default', () => {
    // Act
    const result = mapResultV2(
      JSON.stringify({ statusCode: 200, headers: { 'Content-Type': 'text/html', 'X-Count': 2 }, body: '<p>hi</p>' }),
    );

    // Assess
    expect(result.headers).toEqual({ 'content-type': 'text/html', 'x-count': '2' });
    expect(result.body.toString()).toBe('<p>hi</p>');
  });

  it('sends each of cookies as its own set-cookie header', () => {
    // Act
    const result = mapResultV2(JSON.stringify({ statusCode: 200, cookies: ['a=1; Path=/', 'b=2'], body: '' }));

    // Assess
    expect(result.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2']);
  });

  it('decodes the body of a response with isBase64Encoded: true, and leaves it as text when false', () => {
    // Act
    const decoded = mapResultV2(JSON.stringify({ statusCode: 200, body: 'aGk=', isBase64Encoded: true }));
    const text = mapResultV2(JSON.stringify({ statusCode: 200, body: 'aGk=', isBase64Encoded: false }));

    // Assess
    expect(decoded.body.toString()).toBe('hi');
    expect(text.body.toString()).toBe('aGk=');
  });

  it('turns cookies into one set-cookie header each and decodes base64 bodies', () => {
    // Act
    const result = mapResultV2(
      JSON.stringify({ statusCode: 201, cookies: ['a=1', 'b=2'], body: 'aGk=', isBase64Encoded: true }),
    );

    // Assess
    expect(result.status).toBe(201);
    expect(result.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(result.body.toString()).toBe('hi');
  });

  it.each([
    ['a non-string body', { statusCode: 200, body: { a: 1 } }],
    ['a statusCode that is not a number', { statusCode: 'ok' }],
    ['headers that are not a map', { statusCode: 200, headers: ['x'] }],
    ['cookies that are not strings', { statusCode: 200, cookies: [1] }],
  ])('refuses %s', (_, returned) => {
    expect(() => mapResultV2(JSON.stringify(returned))).toThrow(MalformedResponseError);
  });
});
