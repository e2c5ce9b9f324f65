/**
 * The console's Journal as a request inspector, in headless Chromium at 1440 and 800 px: entries pushed live by
 * the server (server-sent events, no polling), every column shown whole, filters, the inspector with headers
 * (credentials masked), bodies and contract problems at their JSON pointer, a PDF as a download, and a request
 * copied as curl from the clipboard and replayed by a shell with the same status. Screenshots go to
 * reports/screenshots/. Without Chromium the test fails and says how to install it.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { consolePage, productiveHeaders } from '../support/console-page.ts';

const SANDBOX = 'journal-inspector';
const productive = productiveHeaders(SANDBOX);

let base: string;
let page: Page;
/** Every URL the page fetched (to tell pushed entries from polled ones). */
const fetched: string[] = [];

const listPrices = () => fetch(`${base}/productive/api/v2/prices`, { headers: productive });
/** A price without its required relationships and with a name of the wrong type: a 422 naming both. */
const createBadPrice = () =>
  fetch(`${base}/productive/api/v2/prices`, {
    method: 'POST',
    headers: { ...productive, 'Content-Type': 'application/vnd.api+json' },
    body: JSON.stringify({ data: { type: 'prices', attributes: { name: 42, note: "it's `here` $HOME" } } }),
  });
const row = (text: string) => page.locator('#journal tbody tr', { hasText: text }).first();

/** The cells of the journal (the header's, and the first row's) whose text does not fit or that leave the viewport. */
const cutCells = () =>
  page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const cells = [
      ...document.querySelectorAll('#journal thead th'),
      ...document.querySelectorAll('#journal tbody tr:first-child td'),
    ].filter((cell) => (cell as HTMLElement).offsetParent !== null && cell.textContent !== '');
    return cells
      .filter((cell) => {
        const box = cell.getBoundingClientRect();
        return cell.scrollWidth > cell.clientWidth + 1 || box.right > width || box.left < 0;
      })
      .map((cell) => `${cell.className || cell.tagName}: ${cell.textContent}`);
  });

describe('the journal in headless Chromium', () => {
  const chromium = consolePage({ width: 1440, height: 1000 });
  const { requireBrowser, shot } = chromium;

  beforeAll(async () => {
    if (!chromium.page) return;
    ({ base, page } = chromium);
    await chromium.browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    page.on('request', (request) => fetched.push(request.url()));
  });

  it('at 1440 px: an empty journal says what fills it; requests arrive pushed, every column whole (1280 px too), filters work', async () => {
    requireBrowser();
    const errors = await chromium.open(SANDBOX);
    const empty = page.locator('[data-testid=journal-empty]');
    expect(await empty.innerText()).toMatch(/No requests yet in sandbox journal-inspector[\s\S]*X-Standin-Sandbox/);
    await page.locator('[data-testid=journal-live-state]', { hasText: 'live' }).waitFor();
    await shot('journal-1-empty');

    fetched.length = 0;
    expect((await listPrices()).status).toBe(200);
    expect((await createBadPrice()).status).toBe(422);
    await row('create_price').waitFor();
    await row('list_prices').waitFor();
    // Pushed over the open event stream: the page asked for no journal since.
    expect(fetched.filter((url) => /\/journal(?:\/\d+)?$/.test(new URL(url).pathname))).toEqual([]);
    expect(await cutCells()).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 1000 });
    expect(await cutCells()).toEqual([]);
    await page.setViewportSize({ width: 1440, height: 1000 });
    expect(await row('create_price').locator('[data-testid=journal-status]').innerText()).toBe('422');
    await shot('journal-2-live-1440');

    await page.selectOption('[data-testid=journal-filter-status]', '4xx');
    expect(await page.locator('#journal tbody tr').count()).toBe(1);
    expect(await page.locator('[data-testid=journal-count]').innerText()).toBe('1 of 2 requests');
    await page.selectOption('[data-testid=journal-filter-status]', '');
    await page.selectOption('[data-testid=journal-filter-api]', 'productive');
    await page.selectOption('[data-testid=journal-filter-operation]', 'list_prices');
    expect(await page.locator('#journal tbody tr').allInnerTexts()).toEqual([expect.stringContaining('list_prices')]);
    await page.selectOption('[data-testid=journal-filter-operation]', '');
    await page.fill('[data-testid=journal-filter-text]', 'no-such-thing');
    expect(await empty.innerText()).toContain('No request matches these filters (2 hidden)');
    await page.click('#journal-clear-filters');
    expect(await page.locator('#journal tbody tr').count()).toBe(2);
    expect(errors).toEqual([]);
  }, 120_000);

  it('at 1440 px: the inspector shows headers masked, problems at their pointer; curl copied replays the same status', async () => {
    requireBrowser();
    await row('create_price').click();
    const detail = page.locator('[data-testid=journal-detail]');
    const request = page.locator('[data-testid=journal-request]');
    await request.locator('table.headers').waitFor();
    expect(await request.locator('table.headers').innerText()).toMatch(/X-Auth-Token\s+••••••••/);
    expect(await request.locator('table.headers').innerText()).toMatch(/X-Organization-Id\s+572/);
    expect(await page.locator('[data-testid=journal-response] table.headers').innerText()).toMatch(
      /content-type\s+application\/vnd\.api\+json/i,
    );
    const problems = await page.locator('[data-testid=journal-problems]').innerText();
    expect(problems).toContain('/data/attributes/name');
    expect(await request.locator('.flagged[data-pointer="/data/attributes/name"]').innerText()).toBe('42');
    await shot('journal-3-inspector-1440');

    await page.click('[data-testid=copy-curl]');
    await page.locator('#status', { hasText: 'copy as curl copied' }).waitFor();
    const curl = await page.evaluate(() => navigator.clipboard.readText());
    expect(curl).toContain(`curl --globoff -X 'POST' '${base}/productive/api/v2/prices'`);
    expect(curl).toContain("-H 'X-Auth-Token: productive-test-token'");
    expect(curl).toContain(`-H 'X-Standin-Sandbox: ${SANDBOX}'`);
    const replay = await promisify(execFile)('sh', ['-c', `${curl.trim()} -s -m 20 -o /dev/null -w '%{http_code}'`]);
    expect(replay.stdout).toBe('422');
    // The replay is a request like any other: it arrives in the journal too.
    await page.locator('#journal tbody tr').nth(2).waitFor();
    expect(await page.locator('#journal tbody tr').first().innerText()).toContain('create_price');

    await page.click('[data-testid=copy-fetch]');
    await page.locator('#status', { hasText: 'copy as fetch copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toMatch(
      new RegExp(`^await fetch\\("${base.replace(/\./g, '\\.')}/productive/api/v2/prices", \\{`),
    );
    expect(await detail.innerText()).not.toContain('productive-test-token');
  }, 120_000);

  it('offers a PDF answer as a download of its bytes', async () => {
    requireBrowser();
    const pdf = await fetch(`${base}/toggl/api/v9/workspaces/56/invoices/56.pdf`, {
      headers: { Authorization: `Basic ${btoa('admin@toggl.test:yoyo')}`, 'X-Standin-Sandbox': SANDBOX },
    });
    expect(pdf.status).toBe(200);
    await row('get_workspace_invoices').click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('[data-testid=response-download]'),
    ]);
    const file = join(chromium.browser.profile, 'invoice.pdf');
    await download.saveAs(file);
    expect(readFileSync(file)).toEqual(Buffer.from(await pdf.arrayBuffer()));
    expect(await page.locator('[data-testid=journal-request] table.headers').innerText()).toMatch(
      /Authorization\s+Basic ••••••••/,
    );
  }, 120_000);

  it('at 800 px: two-line rows, nothing cut, the inspector below', async () => {
    requireBrowser();
    await page.setViewportSize({ width: 800, height: 1000 });
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    await row('get_workspace_invoices').waitFor();
    expect(await cutCells()).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(800);
    await row('create_price').click();
    await page.locator('[data-testid=journal-request] table.headers').waitFor();
    const box = await page.locator('[data-testid=journal-detail]').boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(800);
    await shot('journal-4-inspector-800');

    // A request made now arrives in the open page.
    expect((await listPrices()).status).toBe(200);
    await page.locator('#journal tbody tr').nth(4).waitFor();
    expect(await page.locator('#journal tbody tr').first().innerText()).toContain('list_prices');
  }, 120_000);
});
