#!/usr/bin/env node
/**
 * `npm start` in a checkout: the CLI compiled in dist/ (scripts/build.mjs), built again first when one of its
 * sources changed since (about a third of a second on an idle machine), so an edit is served without tsx.
 */
import { buildDist, distIsFresh } from './build.mjs';

// Under `npm start` (which runs this with exec, so npm's signals reach it) the server also ends when npm is gone,
// killed by a signal it cannot pass on: a CI script's `kill -9` must not leave the port taken.
if (process.env.npm_lifecycle_event === 'start') {
  const npm = process.ppid;
  setInterval(() => process.ppid !== npm && process.kill(process.pid, 'SIGTERM'), 500).unref();
}

if (!distIsFresh()) await buildDist();
await import('./bin.mjs');
