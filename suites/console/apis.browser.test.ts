/**
 * The console's APIs tab and the API reference pages in headless Chromium, at 1440 and 800 px: each API's base URL,
 * credentials and fixture ids are shown, its first request copied from the page and run in a shell answers 200,
 * reference data is one click away; a reference page loads nothing from outside this server, shows fixture values
 * in its samples and no version after its title; the docs index is styled. Screenshots go to reports/screenshots/.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { consolePage } from '../support/console-page.ts';

const SANDBOX = 'apis-tab';
const run = promisify(execFile);

/** What a newcomer must find for each API, from the fixtures. */
const expected: Record<string, { credential: string; record: string; reference: string; value: string }> = {
  productive: {
    credential: 'X-Auth-Token: productive-test-token',
    record: '1926',
    reference: 'currencies',
    value: 'EUR',
  },
  togai: {
    credential: 'Authorization: Bearer togai-test-token',
    record: 'ACC00001',
    reference: 'price plans',
    value: 'ENTERPRISE_PLAN',
  },
  toggl: { credential: 'user admin@toggl.test, password yoyo', record: '56', reference: 'subdivisions', value: '3944' },
  djaoapp: {
    credential: '"username":"donny","password":"yoyo"',
    record: 'ch_XAb124EF',
    reference: 'plans',
    value: 'open-space',
  },
};

/** Runs a copied command in a shell, with curl's status code after the body. */
async function replay(command: string): Promise<{ status: number; body: string }> {
  const { stdout } = await run('sh', ['-c', `${command} -w '\\n%{http_code}'`], { timeout: 20_000 });
  const lines = stdout.trimEnd().split('\n');
  return { status: Number(lines.pop()), body: lines.join('\n') };
}

describe.each([1440, 800])('the APIs tab and API reference at %i px', (width) => {
  const chromium = consolePage({ width, height: 900 });
  const shot = (name: string) => chromium.shot(`apis-${width}-${name}`);
  beforeAll(async () => {
    if (chromium.page)
      await chromium.browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: chromium.base });
  });

  it('shows base URL, credentials, fixture ids and reference data, and its copied first request answers 200', async () => {
    chromium.requireBrowser();
    const { page, base } = chromium;
    const errors = await chromium.open(SANDBOX);
    await page.click('nav button[data-tab=apis]');
    for (const [api, want] of Object.entries(expected)) {
      await page.click(`[data-testid=api-picker] button[data-api=${api}]`);
      const start = page.locator('[data-testid=api-start]');
      await start.locator('h2').waitFor();
      expect(await page.locator('[data-testid=base-url]').innerText()).toBe(`${base}/${api}`);
      expect(await page.locator('[data-testid=credentials]').innerText()).toContain(want.credential);
      expect(await page.locator('[data-testid=records] td code').allInnerTexts()).toContain(want.record);

      // The first request: copied with the button, as a person would, and run in a shell.
      await page.click('[data-testid=copy-curl]');
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      expect(copied).toBe(await page.locator('[data-testid=first-request]').innerText());
      const answer = await replay(copied);
      expect(answer.status, `${api}: ${copied}\n→ ${answer.body.slice(0, 300)}`).toBe(200);
      // It carries the console's sandbox, so it shows in the journal the console shows.
      const journal = (await (await fetch(`${base}/__standin/sandboxes/${SANDBOX}/journal`)).json()) as {
        api?: string;
        status: number;
      }[];
      expect(journal.some((e) => e.api === api && e.status === 200)).toBe(true);

      // Reference data, one click away.
      await start.locator('[data-testid=reference-pick]', { hasText: want.reference }).click();
      expect(await page.locator('[data-testid=reference-table]').innerText()).toContain(want.value);
      await shot(`tab-${api}`);
    }
    // Toggl's US subdivisions with their ids: what a customer's contact details take.
    await page.click('[data-testid=api-picker] button[data-api=toggl]');
    await page.locator('[data-testid=reference-pick]', { hasText: 'subdivisions' }).click();
    const california = page.locator('[data-testid=reference-table] tr', { hasText: 'California' });
    expect(await california.innerText()).toMatch(/3944\s+California\s+US-CA\s+235\s+United States/);
    expect(errors).toEqual([]);
  }, 180_000);

  it('serves reference pages with no request off this server, fixture values in samples and a clean title', async () => {
    chromium.requireBrowser();
    const { page, base } = chromium;
    const origin = new URL(base).origin;
    const offOrigin: string[] = [];
    const blocked: string[] = [];
    page.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith(`${origin}/`) && !url.startsWith(`blob:${origin}/`) && !url.startsWith('data:'))
        offOrigin.push(url);
    });
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) blocked.push(message.text());
    });

    await page.goto(`${base}/__standin/docs/toggl`);
    await page.locator('.api-content').waitFor({ timeout: 60_000 });
    const heading = await page.locator('.api-info h1').innerText();
    expect(heading).toContain('Toggl Track API v9');
    expect(heading).not.toMatch(/\(\d[\d.]*\)\s*$/);
    expect(await page.title()).toBe('Toggl Track API v9 — Subscription — Standin API reference');
    // The sample of a customer's contact details: the fixture customer's US address, not "string" and 0.
    const operation = page.locator('[data-section-id="tag/subscription/operation/post_workspace_customer"]');
    await operation.scrollIntoViewIfNeeded();
    const sample = await operation.locator('text=Request samples').locator('..').innerText();
    expect(sample).toContain('"country_subdivision_id": 3944');
    expect(sample).toContain('"zip_code": "94105"');
    expect(sample).not.toContain('"string"');
    await operation.locator('text=Request samples').scrollIntoViewIfNeeded();
    // A reference page is tens of thousands of pixels long: its shot is the viewport, at the sample.
    await page.screenshot({ path: `reports/screenshots/apis-${width}-docs-toggl.png` });

    await page.goto(`${base}/__standin/docs/productive`);
    await page.locator('.api-content').waitFor({ timeout: 60_000 });
    expect(await page.locator('.api-info h1').innerText()).not.toMatch(/\(2\)/);
    await page.waitForTimeout(500); // the side menu's footer, where the logo was, renders after the content

    // The index: cards, styled by its own stylesheet.
    await page.goto(`${base}/__standin/docs`);
    const cards = page.locator('[data-testid=docs-index] li');
    expect(await cards.count()).toBe(4);
    const style = await cards.first().evaluate((card) => {
      const computed = getComputedStyle(card);
      return { border: computed.borderTopStyle, list: computed.listStyleType, radius: computed.borderTopLeftRadius };
    });
    expect(style).toEqual({ border: 'solid', list: 'none', radius: '8px' });
    await page.click('text=APIs tab');
    await page.locator('[data-testid=api-start]').waitFor();
    expect(await page.locator('nav button[data-tab=apis]').getAttribute('class')).toBe('active');
    await page.goBack();
    await shot('docs-index');

    expect(offOrigin).toEqual([]);
    expect(blocked).toEqual([]);
  }, 180_000);
});
