/**
 * The console's State, Clock, Faults and Outbox tabs in headless Chromium, at 1440 and 800 px wide: the state opens
 * on each API's main collection and shows no secret, a record is edited and shown changed, a bad edit is refused
 * with its message shown and the state unchanged, the clock moves by +1 day, the faults form's fields line up with
 * their placeholders whole, and an empty outbox says what fills it. Screenshots go to reports/screenshots/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LaunchedChromium, launchChromium, missingChromium } from '../support/chromium.ts';
import { serveStandin, type ServedStandin } from '../support/serve.ts';

const SHOTS = 'reports/screenshots';
const MAINS = { productive: 'prices', togai: 'accounts', toggl: 'subscriptions', djaoapp: 'profiles' };
const json = { 'content-type': 'application/json' };

let served: ServedStandin;
let browser: LaunchedChromium;
let page: Page;

const admin = (path: string, init?: RequestInit) => fetch(`${served.base}/__standin/sandboxes${path}`, init);
const snapshot = async (sandbox: string) => (await admin(`/${sandbox}/state`)).json();

async function openConsole(sandbox: string, width: number) {
  await admin(`/${sandbox}/reset`, { method: 'POST', headers: json });
  await page.setViewportSize({ width, height: 900 });
  await page.goto(`${served.base}/__standin/?sandbox=${sandbox}`);
  await page.waitForSelector('body[data-ready="true"]');
}

const tab = (name: string) => page.click(`nav button[data-tab=${name}]`);

/** The record editor's JSON, changed by `edit`, saved from the console. */
async function saveEdited(edit: (record: Record<string, unknown>) => void) {
  const record = JSON.parse(await page.locator('[data-testid=record-json]').inputValue());
  edit(record);
  await page.fill('[data-testid=record-json]', JSON.stringify(record, null, 2));
  await page.click('[data-testid=record-save]');
}

/** Boxes of the faults form's fields, and whether each placeholder (or a select's chosen option) fits its field. */
function measureFaultsForm() {
  const fields = [...document.querySelectorAll<HTMLInputElement>('#fault-form input, #fault-form select')];
  const canvas = document.createElement('canvas').getContext('2d')!;
  return fields.map((field) => {
    const box = field.getBoundingClientRect();
    const style = getComputedStyle(field);
    canvas.font = `${style.fontSize} ${style.fontFamily}`;
    // A select keeps room for its arrow.
    const arrow = field instanceof HTMLSelectElement ? 20 : 0;
    const room = field.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - arrow;
    const text = field instanceof HTMLSelectElement ? (field.selectedOptions[0]?.text ?? '') : field.placeholder;
    return {
      id: field.id,
      left: Math.round(box.left),
      top: Math.round(box.top),
      width: Math.round(box.width),
      height: Math.round(box.height),
      right: Math.round(box.right),
      textFits: canvas.measureText(text).width <= room,
    };
  });
}

describe('the console as a resource browser, in headless Chromium', () => {
  let missing: Error | undefined;
  const requireBrowser = () => {
    if (missing) throw missing;
  };

  beforeAll(async () => {
    missing = missingChromium();
    if (missing) return;
    mkdirSync(SHOTS, { recursive: true });
    served = await serveStandin({ strict: true });
    browser = await launchChromium();
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.setDefaultTimeout(20_000);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  for (const width of [1440, 800]) {
    const shot = (name: string) =>
      page.screenshot({ path: join(SHOTS, `resources-${width}-${name}.png`), fullPage: true });

    it(`at ${width} px: the state opens on each API's main collection and shows no secret`, async () => {
      requireBrowser();
      const sandbox = `browse-${width}`;
      await openConsole(sandbox, width);
      const jwtSecret = (await snapshot(sandbox)).apis.djaoapp.jwt_secret as string;
      await tab('state');
      for (const [api, main] of Object.entries(MAINS)) {
        await page.selectOption('#state-api', api);
        await page.waitForFunction(
          (m) => (document.querySelector('#state-resource') as HTMLSelectElement).value === m,
          main,
        );
        await page.locator('[data-testid=state-table] table').waitFor();
        expect(await page.locator('#tab-state').innerText(), api).not.toMatch(/jwt_secret|password|api_token/);
      }
      await page.selectOption('#state-resource', 'users');
      await page.locator('[data-testid=state-table] tr[data-id=donny]').waitFor();
      await shot('1-state-users');
      await page.selectOption('#state-resource', '');
      await page.locator('[data-testid=state-values]').waitFor();
      const values = await page.locator('[data-testid=state-values]').innerText();
      expect(values).toContain('"broker": "cowork"');
      expect(values).not.toContain(jwtSecret);
      expect(await page.content()).not.toContain(jwtSecret);
    }, 120_000);

    it(`at ${width} px: a record is edited, and a bad edit is refused with its message and the state unchanged`, async () => {
      requireBrowser();
      const sandbox = `edit-${width}`;
      await openConsole(sandbox, width);
      await tab('state');
      await page.selectOption('#state-api', 'productive');
      await page.locator('[data-testid=state-table] tr[data-id="1"]').click();
      await page.locator('[data-testid=record-editor]').waitFor();
      await saveEdited((price) => {
        price.name = 'Renamed in the console';
      });
      await page.locator('[data-testid=record-message]', { hasText: 'Saved prices / 1' }).waitFor();
      expect(await page.locator('[data-testid=state-table] tr[data-id="1"]').innerText()).toContain(
        'Renamed in the console',
      );
      const read = await fetch(`${served.base}/productive/api/v2/prices/1`, {
        headers: { 'X-Auth-Token': 'productive-test-token', 'X-Organization-Id': '572', 'X-Standin-Sandbox': sandbox },
      });
      expect(((await read.json()) as { data: { attributes: { name: string } } }).data.attributes.name).toBe(
        'Renamed in the console',
      );
      await shot('2-record-edited');

      const before = await snapshot(sandbox);
      await saveEdited((price) => {
        price.rate = 'ten';
      });
      const message = page.locator('[data-testid=record-message]', { hasText: 'nothing was stored' });
      await message.waitFor();
      expect(await message.isVisible()).toBe(true);
      expect(await message.innerText()).toContain('/prices/1/rate must be number');
      expect(await snapshot(sandbox)).toEqual(before);
      expect(await page.locator('[data-testid=state-table] tr[data-id="1"]').innerText()).not.toContain('ten');
      await shot('3-bad-edit-refused');
    }, 120_000);

    it(`at ${width} px: +1 day moves the clock, the faults form lines up, the empty outbox says what fills it`, async () => {
      requireBrowser();
      const sandbox = `tabs-${width}`;
      await openConsole(sandbox, width);
      await tab('clock');
      const offset = async () => ((await (await admin(`/${sandbox}/clock`)).json()) as { offsetMs: number }).offsetMs;
      const before = await offset();
      await page.click('[data-testid=clock-plus-day]');
      await page.locator('#status', { hasText: 'clock advanced by P1D' }).waitFor();
      // A running clock's offset is set from the real time of the request: a few ms either side of a day.
      expect(Math.abs((await offset()) - before - 86_400_000)).toBeLessThan(1_000);
      await shot('4-clock');

      await tab('faults');
      await page.locator('[data-testid=faults-empty]').waitFor();
      expect(await page.locator('[data-testid=faults-empty]').innerText()).toContain('No fault rules');
      const fields = await page.evaluate(measureFaultsForm);
      const form = (await page.locator('#fault-form').boundingBox())!;
      expect(fields.filter((f) => !f.textFits).map((f) => f.id)).toEqual([]);
      expect(new Set(fields.map((f) => f.height)).size, JSON.stringify(fields)).toBe(1);
      expect(new Set(fields.map((f) => f.width)).size, JSON.stringify(fields)).toBe(1);
      const columns = new Set(fields.map((f) => f.left));
      const rows = new Set(fields.map((f) => f.top));
      expect(columns.size * rows.size).toBeGreaterThanOrEqual(fields.length);
      for (const field of fields) expect(field.right, field.id).toBeLessThanOrEqual(form.x + form.width);
      await shot('5-faults-form');

      await tab('views');
      expect(await page.locator('[data-testid=view-select]').inputValue()).toBe('djaoapp/outbox');
      const empty = page.locator('[data-testid=view-table] [data-testid=empty]');
      await empty.waitFor();
      expect(await empty.innerText()).toContain('DjaoApp sends e-mails here when');
      expect(await page.locator('[data-testid=view-table]').innerText()).not.toContain('0 of 0');
      await shot('6-empty-outbox');
    }, 120_000);
  }
});
