// A page's first load in Chromium with an empty HTTP cache: the bytes received on the wire
// (DevTools' encodedDataLength: headers and bodies as the server compressed them), and every
// document, script and stylesheet fetched, for sizes the caller computes (the bench's gzip baseline).
import type { BrowserContext } from 'playwright-core';

export interface FirstLoad {
  /** Bytes received for the requests finished by the load event. */
  readonly wireAtLoad: number;
  /** Bytes received until the network was idle (what the page fetched after load included). */
  readonly wireIdle: number;
  readonly files: readonly { readonly url: string; readonly kind: string; readonly body: Buffer }[];
}

export async function measureFirstLoad(context: BrowserContext, url: string): Promise<FirstLoad> {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  try {
    await cdp.send('Network.enable');
    await cdp.send('Network.clearBrowserCache');
    let wire = 0;
    cdp.on('Network.loadingFinished', (event) => {
      wire += event.encodedDataLength;
    });
    const files: { url: string; kind: string; body: Buffer }[] = [];
    const pending: Promise<void>[] = [];
    page.on('response', (response) => {
      const kind = response.request().resourceType();
      pending.push(
        response.body().then(
          (body) => {
            files.push({ url: response.url(), kind, body });
          },
          () => undefined,
        ),
      );
    });
    await page.goto(url, { waitUntil: 'load' });
    // DevTools events trail the page a little: a round trip through the page lets them arrive.
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 50)));
    const wireAtLoad = wire;
    await page.waitForLoadState('networkidle');
    await Promise.all(pending);
    return { wireAtLoad, wireIdle: wire, files };
  } finally {
    await cdp.detach().catch(() => undefined);
    await page.close();
  }
}
