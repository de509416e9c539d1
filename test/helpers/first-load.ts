// A page's first load in Chromium with an empty HTTP cache: the bytes received on the wire
// (DevTools' encodedDataLength: headers and bodies as the server compressed them), and every
// document, script and stylesheet fetched, for sizes the caller computes (the bench's gzip baseline).
import type { BrowserContext } from 'playwright-core';

export interface FirstLoad {
  /**
   * Bytes received for the requests the page started before its load event (what the page needs
   * to load; code the page fetches once it has loaded, when the browser is idle, is not counted).
   */
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
    await cdp.send('Page.enable');
    await cdp.send('Network.clearBrowserCache');
    let wire = 0;
    let wireAtLoad = 0;
    let loaded = false;
    let loadedAt = Number.POSITIVE_INFINITY;
    // DevTools' monotonic timestamps (seconds) of each request's start and of the load event.
    const startedAt = new Map<string, number>();
    let loadWaiters: (() => void)[] = [];
    cdp.on('Network.requestWillBeSent', (event) => {
      if (!startedAt.has(event.requestId)) startedAt.set(event.requestId, event.timestamp);
    });
    cdp.on('Page.loadEventFired', (event) => {
      loadedAt = event.timestamp;
      loaded = true;
      for (const wake of loadWaiters) wake();
      loadWaiters = [];
    });
    cdp.on('Network.loadingFinished', (event) => {
      wire += event.encodedDataLength;
      if ((startedAt.get(event.requestId) ?? Number.POSITIVE_INFINITY) < loadedAt)
        wireAtLoad += event.encodedDataLength;
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
    if (!loaded) await new Promise<void>((resolve) => loadWaiters.push(resolve));
    // Requests started before load may still be finishing: by network idle every one has.
    await page.waitForLoadState('networkidle');
    await Promise.all(pending);
    return { wireAtLoad, wireIdle: wire, files };
  } finally {
    await cdp.detach().catch(() => undefined);
    await page.close();
  }
}
