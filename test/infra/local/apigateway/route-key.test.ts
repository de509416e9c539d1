import { describe, expect, it } from 'vitest';
import { ApiGatewayError } from '../../../../infra/local/apigateway/errors.ts';
import { matchRoute, parseRouteKey } from '../../../../infra/local/apigateway/route-key.ts';

describe('parseRouteKey', () => {
  it.each(['$default', 'GET /', 'ANY /items', 'POST /items/{id}', 'GET /files/{proxy+}', 'DELETE /a/{b}/c/{d}'])(
    'accepts %s',
    (routeKey) => {
      expect(() => parseRouteKey(routeKey)).not.toThrow();
    },
  );

  it.each([
    ['FETCH /items', 'unknown method'],
    ['GET items', 'path without a slash'],
    ['GET /files/{proxy+}/more', 'greedy variable not last'],
    ['GET /a//b', 'empty segment'],
    ['GET /a/{b', 'unclosed brace'],
    ['GET /a/{id}/{id}', 'duplicate variable'],
    ['get /items', 'lowercase method'],
    ['', 'empty'],
  ])('rejects %j (%s) with BadRequestException', (routeKey) => {
    // Act
    const act = () => parseRouteKey(routeKey);

    // Assess
    expect(act).toThrow(ApiGatewayError);
    try {
      act();
    } catch (error) {
      expect((error as ApiGatewayError).code).toBe('BadRequestException');
    }
  });
});

describe('matchRoute', () => {
  const routes = [
    '$default',
    'GET /pets/dog/1',
    'GET /pets/dog/{id}',
    'GET /pets/{proxy+}',
    'ANY /pets/{proxy+}',
    'ANY /pets/cat/{id}',
    'POST /pets/cat/{id}',
    'GET /',
    'GET /{proxy+}',
    'ANY /orders',
  ].map((routeKey) => ({ routeKey }));

  it.each([
    ['GET', '/pets/dog/1', 'GET /pets/dog/1', {}],
    ['GET', '/pets/dog/2', 'GET /pets/dog/{id}', { id: '2' }],
    ['GET', '/pets/dog/2/', 'GET /pets/dog/{id}', { id: '2' }],
    ['GET', '/pets/bird/tweety', 'GET /pets/{proxy+}', { proxy: 'bird/tweety' }],
    ['PUT', '/pets/bird/tweety', 'ANY /pets/{proxy+}', { proxy: 'bird/tweety' }],
    ['POST', '/pets/cat/tom', 'POST /pets/cat/{id}', { id: 'tom' }],
    ['DELETE', '/pets/cat/tom', 'ANY /pets/cat/{id}', { id: 'tom' }],
    ['GET', '/pets/cat/tom', 'ANY /pets/cat/{id}', { id: 'tom' }],
    ['GET', '/', 'GET /', {}],
    ['GET', '/elsewhere/deep', 'GET /{proxy+}', { proxy: 'elsewhere/deep' }],
    ['PATCH', '/orders', 'ANY /orders', {}],
    ['POST', '/unknown', '$default', {}],
    ['GET', '/pets/a%2Fb', 'GET /pets/{proxy+}', { proxy: 'a%2Fb' }],
  ])('%s %s → %s', (method, path, routeKey, pathParameters) => {
    // Act
    const match = matchRoute(routes, method, path);

    // Assess
    expect(match?.route.routeKey).toBe(routeKey);
    expect(match?.pathParameters).toEqual(pathParameters);
  });

  it('answers nothing when no route and no $default match', () => {
    expect(matchRoute([{ routeKey: 'GET /pets' }], 'GET', '/cars')).toBeUndefined();
    expect(matchRoute([{ routeKey: 'GET /pets/{proxy+}' }], 'GET', '/pets')).toBeUndefined();
  });
});
