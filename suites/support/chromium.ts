/**
 * Debian's Chromium (/usr/bin/chromium, installed by .ci/run) for the browser tests, driven by playwright-core.
 * Without the background-networking flags it reaches for Google's hosts, which this machine's closed network
 * refuses, many at a time.
 */
export const CHROMIUM = process.env.STANDIN_CHROMIUM ?? '/usr/bin/chromium';

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
