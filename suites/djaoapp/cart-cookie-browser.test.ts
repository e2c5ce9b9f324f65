/**
 * DjaoApp's anonymous cart in a real browser (Debian's Chromium, driven by playwright-core): a page of a dev server
 * on http://localhost calls the mock at 127.0.0.1 (another site) and at localhost (the same site), and its cart
 * cookie comes back on the next call. Adding a plan already in the cart answers 200, a new one 201: that status
 * says whether the browser kept the cookie. Without Chromium the test fails and says how to install it.
 */
import { createServer, type Server } from 'node:http';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LaunchedChromium, launchChromium, missingChromium } from '../support/chromium.ts';
import { serveStandin, type ServedStandin } from '../support/serve.ts';

let served: ServedStandin;
let devServer: Server;
let context: BrowserContext;
let page: Page;
let browser: LaunchedChromium;

/** What a frontend does: add, add again, take out, add again; each answer's status. */
function cartCalls(page: Page, api: string, sandbox: string): Promise<number[]> {
  return page.evaluate(
    async ({ api, sandbox }) => {
      const call = (method: string, query = '', body?: unknown) =>
        fetch(`${api}/djaoapp/api/cart/${query}`, {
          method,
          credentials: 'include',
          headers: { 'Content-Type': 'application/json', 'X-Standin-Sandbox': sandbox },
          body: body === undefined ? undefined : JSON.stringify(body),
        }).then((res) => res.status);
      return [
        await call('POST', '', { plan: 'premium' }),
        await call('POST', '', { plan: 'premium' }),
        await call('DELETE', '?plan=premium'),
        await call('POST', '', { plan: 'premium' }),
      ];
    },
    { api, sandbox },
  );
}

describe('the anonymous cart cookie in headless Chromium', () => {
  beforeAll(async () => {
    const missing = missingChromium();
    if (missing) throw missing;
    served = await serveStandin({ strict: true });
    devServer = createServer((_req, res) =>
      res.setHeader('Content-Type', 'text/html').end('<!doctype html><title>dev server</title>'),
    ).listen(0, '127.0.0.1');
    await new Promise((resolve) => devServer.once('listening', resolve));
    browser = await launchChromium();
    context = browser.context;
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(20_000);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    devServer?.close();
  });

  const devPort = () => (devServer.address() as { port: number }).port;
  const apiPort = () => new URL(served.base).port;

  for (const [page_, api] of [
    ['localhost', '127.0.0.1'],
    ['localhost', 'localhost'],
    ['127.0.0.1', '127.0.0.1'],
  ] as const)
    it(`keeps the cart of a page on http://${page_} calling the mock at ${api}`, async () => {
      await context.clearCookies();
      await page.goto(`http://${page_}:${devPort()}/`);
      expect(await cartCalls(page, `http://${api}:${apiPort()}`, `cookie-${page_}-${api}`)).toEqual([
        201, 200, 204, 201,
      ]);
    });
});
