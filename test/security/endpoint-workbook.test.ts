// Attacks on the workbook's own server and its bundler: a malformed Host (a 500 before), framing
// the workbench from another page (no frame-ancestors before), and learner code that imports host
// files into the bundle it deploys (`import s from '/etc/passwd' with { type: 'text' }` inlined any
// file before).

import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_FILE, bundleHandler, CompileFailureError } from '../../site/server/bundle.ts';
import { FRAME_HEADERS, guardSiteRequest } from '../../tools/site-guard.ts';
import { PROJECT_ROOT } from '../infra/local/deploy/assembly.ts';
import { rawRequest } from './endpoint-helpers.ts';

describe('the workbook server', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    // The guard in front of a stand-in for the built site, which (like Astro) builds a URL from Host.
    server = createServer((req, res) => {
      if (!guardSiteRequest(req, res)) return;
      const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<p>${url.pathname}</p>`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => server.close());

  it.each(['127.0.0.1:4321@evil.com', 'user@127.0.0.1', '127.0.0.1/x', '[::1'])(
    'answers Host %s with 400, never 500',
    async (host) => {
      const response = await rawRequest(port, { path: '/', headers: { host } });
      expect(response.status).toBe(400);
      expect(response.body).toContain('is not a host name');
      expect(response.headers['x-frame-options']).toBe('DENY');
    },
  );

  it("sends frame-ancestors 'none' and X-Frame-Options DENY with every page", async () => {
    for (const path of ['/', '/scenarios/thumbnails/', '/api/session']) {
      const response = await rawRequest(port, { path, headers: { host: `127.0.0.1:${port}` } });
      expect(response.status).toBe(200);
      for (const [name, value] of Object.entries(FRAME_HEADERS)) expect(response.headers[name]).toBe(value);
    }
  });
});

describe('the server-side bundler reads only the scenario and the project’s modules', () => {
  let outside: string;
  beforeAll(() => {
    outside = mkdtempSync(join(tmpdir(), 'endpoint-secret-'));
    writeFileSync(join(outside, 'secret.txt'), 'TOP-SECRET-HOST-FILE');
  });
  afterAll(() => rmSync(outside, { recursive: true, force: true }));

  const bundle = (source: string) => bundleHandler({ root: PROJECT_ROOT, scenario: 'web-backend', source });
  async function refusal(source: string): Promise<string> {
    const error = await bundle(source).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CompileFailureError);
    return (error as CompileFailureError).message;
  }

  it.each([
    [
      'an absolute path with type text',
      () => `import s from ${JSON.stringify(join(outside, 'secret.txt'))} with { type: 'text' };`,
    ],
    ['/etc/passwd', () => "import s from '/etc/passwd' with { type: 'text' };"],
    [
      'a file: URL',
      () => `import s from ${JSON.stringify(`file://${join(outside, 'secret.txt')}`)} with { type: 'text' };`,
    ],
    [
      'a relative path out of the project',
      () =>
        `import s from ${JSON.stringify(`${'../'.repeat(12)}${join(outside, 'secret.txt').slice(1)}`)} with { type: 'text' };`,
    ],
    ['the project’s own files outside the scenario', () => "import s from '../../package.json' with { type: 'text' };"],
    [
      'a package path that climbs out of node_modules',
      () => "import s from 'dynalite/../../package.json' with { type: 'text' };",
    ],
    [
      'a dynamic import of a host file',
      () => "export const f = () => import('/etc/hostname', { with: { type: 'text' } });",
    ],
    ['a require() of a host file', () => "const s = require('/etc/passwd');"],
  ])('refuses %s with a clear compile error', async (_what, source) => {
    const message = await refusal(`${source()}\nexport const handler = async () => s;`);
    expect(message).toContain('refused');
    expect(message).not.toContain('TOP-SECRET');
  });

  it('refuses a symbolic link in the scenario that points out of it', async () => {
    const link = join(PROJECT_ROOT, 'scenarios', 'web-backend', `.endpoint-link-${process.pid}.txt`);
    symlinkSync(join(outside, 'secret.txt'), link);
    try {
      const message = await refusal(
        `import s from './${link.split('/').at(-1)}' with { type: 'text' };\nexport const handler = async () => s;`,
      );
      expect(message).toContain('outside the scenario');
    } finally {
      rmSync(link, { force: true });
    }
  });

  it('still bundles the scenario’s files, its shared modules and npm packages', async () => {
    const { zip } = await bundle(
      "import { requireEnv } from '../shared/env.ts';\nimport { PAGE } from './page.ts';\nimport { zipSync } from 'fflate';\nexport const handler = async () => [requireEnv, PAGE.length, zipSync];",
    );
    expect(new TextDecoder().decode(unzipSync(zip)[BUNDLE_FILE])).toContain('scenarios/web-backend/page.ts');
  });
});
