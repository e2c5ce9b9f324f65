#!/usr/bin/env -S node --max-semi-space-size=32
/**
 * `standin`, as the package installs it: the CLI compiled in dist/ (scripts/build.mjs). `--version` answers before
 * the CLI's modules load (express, Ajv, every vendor: most of a second on a busy machine).
 */
import { readFileSync } from 'node:fs';

const [first, ...rest] = process.argv.slice(2);
if ((first === '--version' || first === '-V') && rest.length === 0)
  console.log(JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version);
else await import('../dist/standin.js');
