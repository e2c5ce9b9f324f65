/** Debian's Chromium (/usr/bin/chromium, installed by .ci/run) driven by playwright-core, for the browser tests. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

export const CHROMIUM = process.env.STANDIN_CHROMIUM ?? '/usr/bin/chromium';

/** Without the background-networking flags Chromium reaches for Google's hosts, which a closed network refuses. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Why the browser tests cannot run here (Chromium missing, and how to install it); undefined when they can. */
export function missingChromium(): Error | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  return new Error(
    `Chromium is not installed at ${CHROMIUM}: the browser test needs it. Install it with ` +
      '`apt-get update && apt-get install -y chromium` (as .ci/run does), or set STANDIN_CHROMIUM to its path.',
  );
}

export interface LaunchedChromium {
  context: BrowserContext;
  /** Its profile directory, deleted by close (a place for the test's own files too). */
  profile: string;
  /** Closes the browser and deletes its profile. */
  close(): Promise<void>;
}

/** Headless Chromium in a fresh profile, offline from Google's services; `args` are added to the usual ones. */
export async function launchChromium(
  args: string[] = [],
  viewport?: { width: number; height: number },
): Promise<LaunchedChromium> {
  const profile = mkdtempSync(join(tmpdir(), 'standin-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_ARGS, ...args],
    ...(viewport && { viewport }),
  });
  return {
    context,
    profile,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
