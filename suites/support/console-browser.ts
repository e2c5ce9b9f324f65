/**
 * A strict Standin served on a free port and headless Chromium on it, for one describe block of a browser test:
 * started before its tests, stopped after. Without Chromium nothing starts and `requireBrowser` fails each test by
 * name, saying how to install it (not a skipped file with a hook error).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { type LaunchedChromium, launchChromium, missingChromium } from './chromium.ts';
import { type ServedStandin, serveStandin } from './serve.ts';

const SHOTS = 'reports/screenshots';

export interface ConsoleBrowser {
  /** The Standin's origin, e.g. http://127.0.0.1:43121 */
  readonly base: string;
  readonly page: Page;
  readonly browser: LaunchedChromium;
  /** Throws why the browser tests cannot run here, when they cannot. */
  requireBrowser(): void;
  /** Saves a screenshot as reports/screenshots/<name>.png (the whole page unless told otherwise). */
  shot(name: string, fullPage?: boolean): Promise<Buffer>;
  /** Opens the console at `path` and waits until it has started; the list collects the page's script errors. */
  openConsole(path: string): Promise<string[]>;
}

export function useConsoleBrowser(options: {
  viewport: { width: number; height: number };
  args?: string[];
  permissions?: string[];
}): ConsoleBrowser {
  let missing: Error | undefined;
  let served: ServedStandin | undefined;
  let browser: LaunchedChromium | undefined;
  let page: Page | undefined;
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw missing ?? new Error('the browser is not started');
    return value;
  };
  beforeAll(async () => {
    missing = missingChromium();
    if (missing) return;
    mkdirSync(SHOTS, { recursive: true });
    served = await serveStandin({ strict: true });
    browser = await launchChromium(options.args, options.viewport);
    if (options.permissions) await browser.context.grantPermissions(options.permissions, { origin: served.base });
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.setDefaultTimeout(20_000);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });
  return {
    get base() {
      return started(served).base;
    },
    get page() {
      return started(page);
    },
    get browser() {
      return started(browser);
    },
    requireBrowser() {
      if (missing) throw missing;
    },
    shot: (name, fullPage = true) => started(page).screenshot({ path: join(SHOTS, `${name}.png`), fullPage }),
    async openConsole(path) {
      const errors: string[] = [];
      started(page).on('pageerror', (error) => errors.push(error.message));
      await started(page).goto(`${started(served).base}${path}`);
      await started(page).waitForSelector('body[data-ready="true"]');
      return errors;
    },
  };
}
