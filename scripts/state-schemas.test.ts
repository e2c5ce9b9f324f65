/** Each vendor's state.schema.json is what scripts/state-schemas.ts generates from its state type today. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateStateSchemas, schemaFile } from './state-schemas.ts';

describe('state schemas', () => {
  it('are up to date with the state types (run `npx tsx scripts/state-schemas.ts` after changing one)', () => {
    const generated = generateStateSchemas();
    expect(Object.keys(generated)).toEqual(expect.arrayContaining(['productive', 'togai', 'toggl', 'djaoapp']));
    for (const [api, text] of Object.entries(generated)) expect(readFileSync(schemaFile(api), 'utf8'), api).toBe(text);
  }, 120_000);
});
