#!/usr/bin/env node
/**
 * `npm start` in a checkout: the CLI compiled in dist/ (scripts/build.mjs), built again first when one of its
 * sources changed since (about a third of a second on an idle machine), so an edit is served without tsx.
 */
import { buildDist, distIsFresh } from './build.mjs';

if (!distIsFresh()) await buildDist();
await import('./bin.mjs');
