import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CallRecord } from '../suites/support/target.ts';

/** Every call the suites of one API recorded into a report directory. */
export function readCallRecords(dir: string, api: string): CallRecord[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.startsWith(`${api}-`) && f.endsWith('.json'))
    .flatMap((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as CallRecord[]);
}
