import { describe, expect, it } from 'vitest';
import { isPreflight, preflightHeaders, responseCorsHeaders } from '../../../../infra/local/apigateway/cors.ts';

const cors = {
  allowOrigins: ['https://app.example.com', 'https://*.preview.example.com'],
  allowMethods: ['GET', 'POST'],
  allowHeaders: ['Content-Type', 'X-Api-Key'],
  exposeHeaders: ['X-Total'],
  maxAge: 300,
  allowCredentials: true,
};

describe('CORS', () => {
  it('recognises a preflight by OPTIONS, Origin and Access-Control-Request-Method', () => {
    expect(isPreflight('OPTIONS', { origin: 'https://a', 'access-control-request-method': 'GET' })).toBe(true);
    expect(isPreflight('OPTIONS', { origin: 'https://a' })).toBe(false);
    expect(isPreflight('GET', { origin: 'https://a', 'access-control-request-method': 'GET' })).toBe(false);
  });

  it('answers an allowed preflight with the configured methods, headers, max age and credentials', () => {
    // Act
    const headers = preflightHeaders(cors, {
      origin: 'https://app.example.com',
      'access-control-request-method': 'POST',
    });

    // Assess
    expect(headers).toEqual({
      'access-control-allow-origin': 'https://app.example.com',
      'access-control-allow-methods': 'GET,POST',
      'access-control-allow-headers': 'content-type,x-api-key',
      'access-control-max-age': '300',
      'access-control-allow-credentials': 'true',
      vary: 'Origin',
    });
  });

  it.each([
    ['https://evil.example.com', 'GET', 'origin not allowed'],
    ['https://app.example.com', 'DELETE', 'method not allowed'],
  ])('gives a preflight from %s for %s no CORS headers (%s)', (origin, method) => {
    expect(preflightHeaders(cors, { origin, 'access-control-request-method': method })).toEqual({});
  });

  it('matches wildcard subdomain origins', () => {
    const headers = responseCorsHeaders(cors, { origin: 'https://pr-7.preview.example.com' });
    expect(headers['access-control-allow-origin']).toBe('https://pr-7.preview.example.com');
    expect(headers['access-control-expose-headers']).toBe('x-total');
  });

  it("answers '*' for a wildcard origin without credentials", () => {
    const headers = responseCorsHeaders({ allowOrigins: ['*'] }, { origin: 'https://anywhere.example' });
    expect(headers).toEqual({ 'access-control-allow-origin': '*' });
  });

  it('adds nothing to responses for requests without an Origin', () => {
    expect(responseCorsHeaders(cors, {})).toEqual({});
  });
});
