/**
 * What the console's browser tests share: a strict Standin served on a free port and a headless Chromium page, made
 * in beforeAll and closed in afterAll; screenshots under reports/screenshots/. Without Chromium each test fails by
 * name, saying how to install it (not a skipped file with a hook error).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { type LaunchedChromium, launchChromium, missingChromium } from './chromium.ts';
import { type ServedStandin, serveStandin } from './serve.ts';

const SHOTS = 'reports/screenshots';

export interface ConsolePage {
  served: ServedStandin;
  /** The Standin's origin, e.g. http://127.0.0.1:43121 */
  base: string;
  browser: LaunchedChromium;
  page: Page;
  /** Throws why Chromium cannot run here: the first line of each test. */
  requireBrowser(): void;
  /** A full-page screenshot, reports/screenshots/<name>.png */
  shot(name: string): Promise<Buffer>;
  /** Opens the console on `sandbox` and waits until it is ready; returns the page errors, collected from now on. */
  open(sandbox: string): Promise<string[]>;
}

/** The fixtures' Productive credentials, sent to sandbox `sandbox`. */
export const productiveHeaders = (sandbox: string): Record<string, string> => ({
  'X-Auth-Token': 'productive-test-token',
  'X-Organization-Id': '572',
  'X-Standin-Sandbox': sandbox,
});

/** Registers the hooks; the returned object is filled once beforeAll ran. `args` are Chromium's extra flags. */
export function consolePage(viewport: { width: number; height: number }, args: string[] = []): ConsolePage {
  let missing: Error | undefined;
  const it = {
    requireBrowser: () => {
      if (missing) throw missing;
    },
    shot: (name: string) => it.page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true }),
    open: async (sandbox: string) => {
      const errors: string[] = [];
      it.page.on('pageerror', (error) => errors.push(error.message));
      await it.page.goto(`${it.base}/__standin/?sandbox=${sandbox}`);
      await it.page.waitForSelector('body[data-ready="true"]');
      return errors;
    },
  } as ConsolePage;
  beforeAll(async () => {
    missing = missingChromium();
    if (missing) return;
    mkdirSync(SHOTS, { recursive: true });
    it.served = await serveStandin({ strict: true });
    it.base = it.served.base;
    it.browser = await launchChromium(args, viewport);
    it.page = it.browser.context.pages()[0] ?? (await it.browser.context.newPage());
    it.page.setDefaultTimeout(20_000);
  }, 120_000);
  afterAll(async () => {
    await it.browser?.close();
    await it.served?.stop();
  });
  return it;
}
