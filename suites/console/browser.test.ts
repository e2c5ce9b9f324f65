/**
 * The console in a real browser: Debian's Chromium (/usr/bin/chromium, installed by .ci/run) driven by
 * playwright-core. Loads the console, advances the sandbox clock, sees a request appear in the live journal,
 * adds a fault rule that takes effect and removes it, browses state, the outbox and an API reference page, all
 * under the console's Content-Security-Policy. Then a page of another origin attacks the admin API (reads, writes,
 * a form POST, framing the console) and a rebinding host name reaches it: all fail, the sandbox unchanged.
 * Screenshots go to reports/screenshots/. Without Chromium the test fails and says how to install it.
 */
import { createServer, type Server } from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LaunchedChromium } from '../support/chromium.ts';
import { consolePage, productiveHeaders } from '../support/console-page.ts';

const SANDBOX = 'browser-test';
const productive = productiveHeaders(SANDBOX);

let base: string;
let page: Page;
let browser: LaunchedChromium;
/** What Chromium reported blocked by a Content-Security-Policy on Standin's own pages. */
const policyViolations: string[] = [];

const listPrices = () => fetch(`${base}/productive/api/v2/prices`, { headers: productive });

describe('the console in headless Chromium', () => {
  const chromium = consolePage({ width: 1400, height: 900 }, [
    // A name that resolves to loopback, as an attacker's DNS rebinding would make it. Chromium's own Local
    // Network Access check would stop that page before Standin sees it; other browsers have none, so it is off
    // here to test Standin's defence.
    '--host-resolver-rules=MAP rebind.test 127.0.0.1',
    '--disable-features=LocalNetworkAccessChecks',
  ]);
  const { requireBrowser, shot } = chromium;

  beforeAll(() => {
    if (!chromium.page) return;
    ({ base, browser, page } = chromium);
    // Loads from the internet are meant to be blocked (Redoc's logo from its CDN); what is served here must not be.
    page.on('console', (message) => {
      const text = message.text();
      if (message.type() === 'error' && /Content Security Policy/i.test(text) && !/'https?:\/\//.test(text))
        policyViolations.push(text);
    });
  });

  it('loads, moves the clock, shows requests live, and injects and clears a fault', async () => {
    requireBrowser();
    const errors = await chromium.open(SANDBOX);
    await expect(page.locator('[data-testid=sandbox-select]')).toBeDefined();
    expect(await page.locator('[data-testid=sandbox-select]').inputValue()).toBe(SANDBOX);

    // The clock: advance by 30 days from the console; the admin API sees it.
    await page.click('nav button[data-tab=clock]');
    const before = Date.parse(await page.locator('[data-testid=clock-now]').innerText());
    await page.fill('[data-testid=advance-by]', 'P30D');
    await page.click('[data-testid=advance]');
    await page.waitForFunction(
      (t) => Date.parse(document.querySelector('[data-testid=clock-now]')!.textContent!) > t + 29 * 86_400_000,
      before,
    );
    const clock = (await (await fetch(`${base}/__standin/sandboxes/${SANDBOX}/clock`)).json()) as { offsetMs: number };
    expect(clock.offsetMs).toBeGreaterThan(29 * 86_400_000);
    await shot('1-clock-advanced');

    // The journal: a request made by an app appears without reloading the page.
    await page.click('nav button[data-tab=journal]');
    expect((await listPrices()).status).toBe(200);
    const row = page.locator('#journal tbody tr', { hasText: '/productive/api/v2/prices' }).first();
    await row.waitFor();
    expect(await row.innerText()).toContain('list_prices');
    expect(await row.locator('[data-testid=journal-status]').innerText()).toBe('200');
    await row.click();
    await page.locator('[data-testid=journal-detail] h4', { hasText: 'response body' }).waitFor();
    expect(await page.locator('[data-testid=journal-detail]').innerText()).toContain('"type": "prices"');
    await shot('2-journal-request');

    // A fault on one operation, added in the console: the next list_prices is a 500 in Productive's format.
    await page.click('nav button[data-tab=faults]');
    await page.selectOption('#fault-api', 'productive');
    await page.selectOption('[data-testid=fault-operation]', 'productive list_prices');
    await page.selectOption('[data-testid=fault-kind]', 'status');
    await page.fill('[data-testid=fault-status]', '500');
    await page.click('[data-testid=add-fault]');
    await page.locator('[data-testid=faults] tbody tr', { hasText: 'list_prices' }).waitFor();
    const failed = await listPrices();
    expect(failed.status).toBe(500);
    expect(((await failed.json()) as any).errors[0]).toMatchObject({ status: '500', code: 'injected_fault' });
    expect((await fetch(`${base}/productive/api/v2/prices/1`, { headers: productive })).status).toBe(200);
    await page.click('nav button[data-tab=journal]');
    const faulted = page.locator('#journal tbody tr', { hasText: 'status 500' }).first();
    await faulted.waitFor();
    expect(await faulted.locator('[data-testid=journal-status]').innerText()).toBe('500');
    await shot('3-fault-in-journal');

    // Clearing it from the console: list_prices answers 200 again.
    await page.click('nav button[data-tab=faults]');
    await page.click('[data-testid=remove-fault]');
    await page.locator('[data-testid=faults] tbody tr').waitFor({ state: 'detached' });
    expect((await listPrices()).status).toBe(200);
    await shot('4-fault-cleared');
    expect(errors).toEqual([]);
  }, 120_000);

  it('browses state and the outbox, downloads, restores and resets a snapshot, creates a sandbox, shows an API reference page', async () => {
    requireBrowser();
    await chromium.open(SANDBOX);
    await page.click('nav button[data-tab=state]');
    await page.selectOption('#state-api', 'productive');
    await page.locator('[data-testid=state-table] table').waitFor();
    expect(await page.locator('#state-resource option').allInnerTexts()).toEqual(
      expect.arrayContaining([expect.stringMatching(/^prices \(\d+\)$/)]),
    );
    await shot('5-state');

    // A reset link e-mail lands in the outbox, and the console shows it.
    const sent = await fetch(`${base}/djaoapp/api/auth/recover/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-standin-sandbox': SANDBOX },
      body: JSON.stringify({ email: 'donny@localhost.localdomain' }),
    });
    expect(sent.status).toBeLessThan(300);
    await page.click('nav button[data-tab=views]');
    expect(await page.locator('[data-testid=view-select]').inputValue()).toBe('djaoapp/outbox');
    await page.click('#view-refresh');
    await page.locator('[data-testid=view-table] table').waitFor();
    expect(await page.locator('[data-testid=view-table]').innerText()).toContain('donny@localhost.localdomain');
    await shot('6-outbox');

    // Snapshot download, then restore of an edited snapshot from a file, then reset (confirmed), all from the header.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#snapshot')]);
    const snapshotFile = join(browser.profile, 'snapshot.json');
    await download.saveAs(snapshotFile);
    const snapshot = JSON.parse(readFileSync(snapshotFile, 'utf8'));
    expect(Object.keys(snapshot.apis)).toEqual(expect.arrayContaining(['productive', 'djaoapp']));
    snapshot.apis.productive.prices['1'].name = 'Restored from the console';
    writeFileSync(snapshotFile, JSON.stringify(snapshot));
    await page.setInputFiles('#restore', snapshotFile);
    await page.locator('#status', { hasText: 'restored snapshot.json' }).waitFor();
    const priceName = async () =>
      ((await (await fetch(`${base}/productive/api/v2/prices/1`, { headers: productive })).json()) as any).data
        .attributes.name;
    expect(await priceName()).toBe('Restored from the console');
    page.once('dialog', (dialog) => void dialog.accept());
    await page.click('#reset');
    await page.locator('#status', { hasText: `sandbox ${SANDBOX} reset` }).waitFor();
    expect(await priceName()).toBe('Price');

    // A new sandbox from the header: selected, and created from the fixtures.
    await page.fill('[data-testid=new-sandbox]', 'made-in-console');
    await page.press('[data-testid=new-sandbox]', 'Enter');
    await page.waitForFunction(
      () => (document.querySelector('[data-testid=sandbox-select]') as HTMLSelectElement).value === 'made-in-console',
    );
    expect(((await (await fetch(`${base}/__standin/sandboxes`)).json()) as any[]).map((s) => s.id)).toContain(
      'made-in-console',
    );

    await page.goto(`${base}/__standin/docs/productive`);
    await page.locator('.api-content').waitFor({ timeout: 60_000 });
    expect(await page.locator('.api-content').innerText()).toContain('Prices');
    await shot('7-api-reference');
    expect(policyViolations).toEqual([]);
  }, 120_000);

  it('keeps a page of another origin and a rebinding host name out of the admin API: the sandbox is unchanged', async () => {
    requireBrowser();
    const victim = 'attacked';
    const target = (path: string) => `${base}/__standin/sandboxes/${victim}${path}`;
    // Something to lose: a created price, a journal, a moved clock.
    const created = await fetch(`${base}/productive/api/v2/prices`, {
      method: 'POST',
      headers: { ...productive, 'X-Standin-Sandbox': victim, 'Content-Type': 'application/vnd.api+json' },
      body: JSON.stringify({
        data: {
          type: 'prices',
          attributes: { name: 'keep me', unit_id: 1, currency: 'USD' },
          relationships: { company: { data: { type: 'companies', id: '1926' } } },
        },
      }),
    });
    expect(created.status).toBe(201);
    await fetch(target('/clock'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"advance": "P3D"}',
    });
    const footprint = async () => {
      const read = async (path: string) => (await fetch(target(path))).json();
      const sandboxes = (await (await fetch(`${base}/__standin/sandboxes`)).json()) as { id: string }[];
      return {
        state: await read('/state'),
        faults: await read('/faults'),
        journal: await read('/journal'),
        listed: sandboxes.some((s) => s.id === victim),
      };
    };
    const before = await footprint();

    // The attacker's page: another origin on loopback (127.0.0.1, another port: same site, so cookies would go too).
    const attack = `<!doctype html><meta charset="utf-8"><title>attacker</title>
<iframe name="sink"></iframe><iframe id="framed" src="${base}/__standin/"></iframe>
<form id="reset" method="POST" action="${target('/reset')}" target="sink" enctype="text/plain"><input name='{"a":"' value='"}'></form>
<script>
const results = {};
const attempt = async (name, call) => {
  try { const res = await call(); results[name] = 'read ' + res.status + ': ' + (await res.text()).slice(0, 80); }
  catch (error) { results[name] = 'blocked'; }
};
(async () => {
  await attempt('journal', () => fetch(${JSON.stringify(target('/journal'))}, { credentials: 'include' }));
  await attempt('state', () => fetch(${JSON.stringify(target('/state'))}, { credentials: 'include' }));
  await attempt('fault', () => fetch(${JSON.stringify(target('/faults'))}, { method: 'POST', credentials: 'include', headers: { 'content-type': 'application/json' }, body: '{"status": 500}' }));
  await attempt('clock', () => fetch(${JSON.stringify(target('/clock'))}, { method: 'POST', credentials: 'include', headers: { 'content-type': 'application/json' }, body: '{"advance": "P1Y"}' }));
  await attempt('delete', () => fetch(${JSON.stringify(target(''))}, { method: 'DELETE', credentials: 'include' }));
  // Simple requests go out without a preflight: the answer is opaque, but the server must not act on them.
  for (const [name, path, body] of [['no-cors fault', '/faults', '{"status": 500}'], ['no-cors reset', '/reset', ''], ['no-cors clock', '/clock', '{"advance": "P1Y"}']])
    await attempt(name, () => fetch(${JSON.stringify(target(''))} + path, { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'content-type': 'text/plain' }, body }).then(() => ({ status: 'opaque', text: async () => '' })));
  document.querySelector('iframe[name=sink]').addEventListener('load', () => { results.form = 'submitted'; window.done = results; }, { once: true });
  document.getElementById('reset').submit();
})();
</script>`;
    const attacker: Server = createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end(attack),
    );
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    try {
      const attackerOrigin = `http://127.0.0.1:${(attacker.address() as { port: number }).port}`;
      await page.goto(`${attackerOrigin}/`);
      const results = (await (await page.waitForFunction(() => (window as any).done)).jsonValue()) as Record<
        string,
        string
      >;
      for (const name of ['journal', 'state', 'fault', 'clock', 'delete']) expect(results[name], name).toBe('blocked');
      for (const name of ['no-cors fault', 'no-cors reset', 'no-cors clock'])
        expect(results[name], name).toMatch(/^read opaque/);
      expect(results.form).toBe('submitted');
      // Framed, the console does not load (X-Frame-Options / frame-ancestors).
      const framed = page
        .frames()
        .find((f) => f.name() !== 'sink' && f !== page.mainFrame() && !f.url().startsWith('about:'));
      expect(
        (await framed
          ?.locator('[data-testid=sandbox-select]')
          .count()
          .catch(() => 0)) ?? 0,
      ).toBe(0);
      await shot('8-attacker-page');
    } finally {
      attacker.close();
    }

    // DNS rebinding: the attacker's page came from a name of theirs that now resolves to this machine, so the admin
    // API is its own origin. Its page is played by the browser here; its requests go to Standin.
    const rebound = `http://rebind.test:${new URL(base).port}`;
    await page.route(`${rebound}/attack`, (route) =>
      route.fulfill({ contentType: 'text/html', body: '<title>rebound</title>' }),
    );
    await page.goto(`${rebound}/attack`);
    const rebindStatuses = await page.evaluate(async (origin) => {
      const read = await fetch(`${origin}/__standin/sandboxes/attacked/journal`);
      const reset = await fetch(`${origin}/__standin/sandboxes/attacked/reset`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
      });
      return [read.status, reset.status];
    }, rebound);
    expect(rebindStatuses).toEqual([403, 403]);
    expect((await page.goto(`${rebound}/__standin/`))?.status()).toBe(403);
    await page.unroute(`${rebound}/attack`);

    expect(await footprint()).toEqual(before);
  }, 120_000);
});
