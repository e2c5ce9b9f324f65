/**
 * Standin in the page: a Vite page whose frontend talks to https://api.productive.io, with MSW's setupWorker
 * answering from the core's pipeline running in the browser (msw-browser.ts), in Debian's headless Chromium.
 * No Standin server runs: the page is served by Vite alone (dev server, or a build served as static files), and
 * the machine has no route to the vendor.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build, createServer, preview, type InlineConfig } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS } from '../../suites/support/chromium.ts';
import { standinBrowser } from './vite-plugin.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const PAGE = 'server/browser/page/index.html';
const fixturePrices = () => {
  const state = JSON.parse(readFileSync(new URL('../../fixtures/productive/state.json', import.meta.url), 'utf8')) as {
    prices: Record<string, { id: string; organization_id: number; name: string }>;
  };
  return Object.values(state.prices).filter((p) => p.organization_id === 572);
};

interface Served {
  url: string;
  close(): Promise<void>;
}

const config: InlineConfig = { root, configFile: false, logLevel: 'error', plugins: [standinBrowser()] };

/** The page from Vite's dev server, as a frontend developer runs it. */
async function devServer(): Promise<Served> {
  const server = await createServer({
    ...config,
    optimizeDeps: { entries: [PAGE] },
    server: { host: '127.0.0.1', port: 0, hmr: false, watch: null },
  });
  await server.listen();
  return { url: server.resolvedUrls!.local[0]!, close: () => server.close() };
}

/** The page built (one minified bundle) and served as static files, as Storybook or a preview deploy has it. */
async function built(): Promise<Served> {
  const outDir = mkdtempSync(join(tmpdir(), 'standin-msw-page-'));
  await build({
    ...config,
    build: { outDir, emptyOutDir: true, chunkSizeWarningLimit: 2_000, rollupOptions: { input: join(root, PAGE) } },
  });
  const server = await preview({ ...config, build: { outDir }, preview: { host: '127.0.0.1', port: 0 } });
  return {
    url: server.resolvedUrls!.local[0]!,
    close: async () => {
      await server.close();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}

describe.each([
  ['the dev server', devServer],
  ['a build', built],
])('setupWorker with Standin in headless Chromium, from %s', (_how, serve) => {
  let served: Served;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const vendorRequests: { url: string; fromServiceWorker: boolean; status: number }[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(
        `Chromium is not installed at ${CHROMIUM}: install it with \`apt-get install -y chromium\` or set STANDIN_CHROMIUM.`,
      );
    served = await serve();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
    });
    page = await browser.newPage();
    page.on('pageerror', (error) => pageErrors.push(String(error)));
    page.on('response', (res) => {
      if (res.url().startsWith('https://api.productive.io/'))
        vendorRequests.push({ url: res.url(), fromServiceWorker: res.fromServiceWorker(), status: res.status() });
    });
    await page.goto(`${served.url}${PAGE}`);
    await page.waitForFunction(() => document.querySelector('#status')?.textContent !== 'starting…', null, {
      timeout: 60_000,
    });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await served?.close();
  });

  it('lists the fixtures, creates a price and lists it, all answered in the page', async () => {
    expect(pageErrors).toEqual([]);
    expect(await page.textContent('#status')).toBe('ready');
    const listed = () => page.locator('#prices li').allTextContents();
    expect(await listed()).toEqual(fixturePrices().map((p) => `${p.name} (${p.id})`));

    await page.fill('#name', 'Made in the page');
    await page.click('button[type=submit]');
    await page.waitForFunction(
      () => /^(created|refused)/.test(document.querySelector('#status')?.textContent ?? ''),
      null,
      { timeout: 10_000 },
    );
    const status = await page.textContent('#status');
    expect(status).toMatch(/^created \d+$/);
    // The page lists the prices again once the create answered.
    await page.locator('#prices li', { hasText: 'Made in the page' }).waitFor({ timeout: 10_000 });
    expect(await listed()).toContain(`Made in the page (${status!.slice('created '.length)})`);
    expect(vendorRequests.map((r) => [r.url.replace(/\?.*/, ''), r.status, r.fromServiceWorker])).toEqual([
      ['https://api.productive.io/api/v2/prices', 200, true],
      ['https://api.productive.io/api/v2/prices', 201, true],
      ['https://api.productive.io/api/v2/prices', 200, true],
    ]);
  });

  it("refuses a bad request in Productive's format and keeps the state", async () => {
    const answer = await page.evaluate(async () => {
      const headers = {
        'X-Auth-Token': 'productive-test-token',
        'X-Organization-Id': '572',
        'Content-Type': 'application/vnd.api+json',
      };
      const res = await fetch('https://api.productive.io/api/v2/prices', {
        method: 'POST',
        headers,
        body: JSON.stringify({ data: { type: 'prices', attributes: { name: 'No rate' } } }),
      });
      const list = await fetch('https://api.productive.io/api/v2/prices?page[size]=200', { headers });
      const listed = (await list.json()) as { data: { attributes: { name: string } }[]; links: { first: string } };
      return {
        status: res.status,
        body: await res.json(),
        names: listed.data.map((p) => p.attributes.name),
        first: listed.links.first,
      };
    });
    expect(answer.status).toBe(422);
    expect(answer.body.errors.length).toBeGreaterThan(0);
    expect(answer.names).not.toContain('No rate');
    expect(answer.names).toContain('Made in the page');
    // The vendor's own URL, for a frontend that follows the links.
    expect(answer.first).toMatch(/^https:\/\/api\.productive\.io\/api\/v2\/prices\?/);
  });
});
