import { describe, expect, it } from 'vitest';
import { checkApiRequest } from '../../../site/lib/request-guard.ts';

const request = (headers: Record<string, string>, url = 'http://127.0.0.1:4321/api/health') =>
  new Request(url, { headers });

describe('workbench API request guard', () => {
  it.each([
    ['loopback IP', { host: '127.0.0.1:4321' }],
    ['localhost', { host: 'localhost:4321' }],
    ['same origin', { host: '127.0.0.1:4321', origin: 'http://127.0.0.1:4321', 'sec-fetch-site': 'same-origin' }],
    ['typed URL', { host: '127.0.0.1:4321', 'sec-fetch-site': 'none' }],
  ])('accepts %s', (_name, headers) => {
    expect(checkApiRequest(request(headers))).toEqual({ ok: true });
  });

  it.each([
    ['a rebinding host name', { host: 'attacker.example:4321' }, 'not a loopback name'],
    ['a foreign origin', { host: '127.0.0.1:4321', origin: 'https://attacker.example' }, 'Cross-origin'],
    ['another local port', { host: '127.0.0.1:4321', origin: 'http://127.0.0.1:8080' }, 'Cross-origin'],
    ['a cross-site fetch', { host: '127.0.0.1:4321', 'sec-fetch-site': 'cross-site' }, 'Cross-site'],
  ])('refuses %s', (_name, headers, reason) => {
    const verdict = checkApiRequest(request(headers));
    expect(verdict.ok).toBe(false);
    expect(verdict.ok === false && verdict.reason).toContain(reason);
  });
});
