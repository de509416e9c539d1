import { describe, expect, it } from 'vitest';
import { MalformedResponseError } from '../../../../../infra/local/apigateway/payload/types.ts';
import { buildEventV1, mapResultV1 } from '../../../../../infra/local/apigateway/payload/v1.ts';
import { readRecording } from '../../../../helpers/recordings.ts';

const recorded = readRecording('apigateway-rest-v1-proxy-event.json').content;

describe('payload format 1.0 event', () => {
  it('has the recorded proxy event fields (plus version), with the last value of a repeated query key', () => {
    // Prepare
    const sample = recorded['invocation-payload-with-params-encoding-multi'];

    // Act
    const event = buildEventV1({
      accountId: '000000000000',
      apiId: 'abc123defg',
      stage: 'stage',
      method: 'POST',
      rawPath: '/stage/proxy-value',
      stagePath: '/proxy-value',
      rawQueryString: 'category=electronics&category=books&price=10&price=20&price=30',
      headers: { 'content-type': 'application/json;charset=utf-8', 'user-agent': 'python-requests/testing' },
      body: Buffer.from('{"message":"hello world"}'),
      requestId: 'id=',
      time: new Date(),
      domainName: 'abc123defg.execute-api.localhost',
      sourceIp: '127.0.0.1',
      routeKey: 'ANY /{proxy+}',
      pathParameters: { proxy: 'proxy-value' },
    });

    // Assess
    expect(Object.keys(event).sort()).toEqual([...Object.keys(sample), 'version'].sort());
    for (const key of Object.keys(sample.requestContext).filter((k) => !['deploymentId'].includes(k))) {
      expect(event.requestContext).toHaveProperty(key);
    }
    expect(event.queryStringParameters).toEqual(sample.queryStringParameters);
    expect(event.multiValueQueryStringParameters).toEqual(sample.multiValueQueryStringParameters);
    expect(event.path).toBe(sample.path);
    expect(event.requestContext.path).toBe(sample.requestContext.path);
    expect(event.resource).toBe(sample.resource);
    expect(event.pathParameters).toEqual(sample.pathParameters);
    expect(JSON.parse(event.body ?? '')).toEqual(sample.body);
    expect(event.stageVariables).toBeNull();
  });
});

describe('payload format 1.0 response', () => {
  it.each([
    ['multi-headers-valid', { statusCode: 200, multiValueHeaders: { 'test-multi': ['value1', 'value2'] } }],
    [
      'multi-headers-overwrite',
      {
        statusCode: 200,
        multiValueHeaders: { 'test-multi': ['value-multi'] },
        headers: { 'test-multi': 'value-solo' },
      },
    ],
  ])('joins multi-value and single headers as recorded (%s)', (name, returned) => {
    // Prepare
    const expected = readRecording('apigateway-rest-v1-proxy-response-mapping.json').content[`invoke-api-${name}`];

    // Act
    const result = mapResultV1(JSON.stringify(returned));

    // Assess
    expect(result.headers['test-multi']).toBe(expected.headers['test-multi']);
    expect(result.headers['content-type']).toBe(expected.headers['Content-Type']);
  });

  it('accepts a statusCode given as a string (recorded: invoke-api-status-code-str → 201)', () => {
    expect(mapResultV1('{"statusCode":"201"}').status).toBe(201);
  });

  it('stringifies scalar header values (recorded: header-bool true → "true")', () => {
    expect(mapResultV1('{"statusCode":200,"headers":{"header-bool":true}}').headers['header-bool']).toBe('true');
  });

  it.each([
    ['a plain string (invoke-api-just-string)', '"justAString"'],
    ['an empty object (invoke-api-empty-response)', '{}'],
    ['a non-numeric statusCode (invoke-api-invalid-status-code)', '{"statusCode":"test"}'],
    [
      'multiValueHeaders that are not lists (invoke-api-multi-headers-invalid)',
      '{"statusCode":200,"multiValueHeaders":{"a":"b"}}',
    ],
  ])('refuses %s', (_, returned) => {
    expect(() => mapResultV1(returned)).toThrow(MalformedResponseError);
  });
});
