// One rewrite of an HTTP API's URL for the server's own requests (triggers and checks use it).
import { describe, expect, it } from 'vitest';
import { reachableApiUrl, type Target } from '../../../site/server/target.ts';

const local: Target = { kind: 'local', region: 'us-east-1', endpoint: 'http://127.0.0.1:4566/', stacks: {} };
const aws: Target = { kind: 'aws', region: 'eu-west-1', stacks: {} };

describe('reachableApiUrl', () => {
  it("reaches a local API through the cloud's path form (Node does not resolve *.localhost)", () => {
    expect(reachableApiUrl('http://abc123.execute-api.localhost:4566', local)).toBe(
      'http://127.0.0.1:4566/_aws/execute-api/abc123',
    );
    expect(reachableApiUrl('http://abc123.execute-api.localhost:4566/', local)).toBe(
      'http://127.0.0.1:4566/_aws/execute-api/abc123',
    );
    expect(reachableApiUrl('http://ABC123.execute-api.localhost:4566/prod/', local)).toBe(
      'http://127.0.0.1:4566/_aws/execute-api/abc123/prod',
    );
  });

  it('leaves AWS URLs (and local ones without an endpoint to rewrite to) as they are, minus a trailing slash', () => {
    expect(reachableApiUrl('https://abc123.execute-api.eu-west-1.amazonaws.com', local)).toBe(
      'https://abc123.execute-api.eu-west-1.amazonaws.com',
    );
    expect(reachableApiUrl('https://abc123.execute-api.eu-west-1.amazonaws.com/prod/', aws)).toBe(
      'https://abc123.execute-api.eu-west-1.amazonaws.com/prod',
    );
    expect(reachableApiUrl('http://abc123.execute-api.localhost:4566/', aws)).toBe(
      'http://abc123.execute-api.localhost:4566',
    );
  });

  it('refuses what is not a URL', () => {
    expect(() => reachableApiUrl('not a url', local)).toThrow(TypeError);
  });
});
