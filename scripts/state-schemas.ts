#!/usr/bin/env -S npx tsx
/**
 * Writes server/apis/<api>/state.schema.json from each vendor's TypeScript state type (`<Api>State` in its
 * state.ts), so the shape of a state is written once: a restored snapshot is checked against it (validateState).
 * `npx tsx scripts/state-schemas.ts` after changing a state type; `--check` exits 1 when a file is not up to date
 * (state-schemas.test.ts beside it runs it).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  createFormatter,
  createParser,
  createProgram,
  SchemaGenerator,
  type CompletedConfig,
  DEFAULT_CONFIG,
} from 'ts-json-schema-generator';
import { plugins } from '../server/apis/index.ts';

const root = fileURLToPath(new URL('../', import.meta.url));
export const schemaFile = (api: string) => `${root}server/apis/${api}/state.schema.json`;
const stateType = (api: string) => `${api[0]!.toUpperCase()}${api.slice(1)}State`;

/** Every API's state schema, as the text of its file. */
export function generateStateSchemas(): Record<string, string> {
  const config: CompletedConfig = {
    ...DEFAULT_CONFIG,
    path: `${root}server/apis/*/state.ts`,
    tsconfig: `${root}tsconfig.json`,
    skipTypeCheck: true,
    // @format and the other validation tags of the state types, not their prose.
    jsDoc: 'basic',
    additionalProperties: false,
    // The state browser's marks (server/core/admin/state-browser.ts): the main collection, a list's key, what it hides.
    extraTags: ['standinMain', 'standinKey', 'standinHidden'],
  };
  const program = createProgram(config);
  const generator = new SchemaGenerator(program, createParser(program, config), createFormatter(config), config);
  return Object.fromEntries(
    plugins.map((plugin) => {
      const schema = generator.createSchema(stateType(plugin.name));
      return [plugin.name, `${JSON.stringify(schema, null, 2)}\n`];
    }),
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  const stale: string[] = [];
  for (const [api, text] of Object.entries(generateStateSchemas())) {
    let current = '';
    try {
      current = readFileSync(schemaFile(api), 'utf8');
    } catch {
      // not written yet
    }
    if (current === text) continue;
    stale.push(api);
    if (!check) writeFileSync(schemaFile(api), text);
  }
  console.log(
    stale.length
      ? `${check ? 'not up to date' : 'written'}: ${stale.map(schemaFile).join(', ')}`
      : 'state schemas up to date',
  );
  process.exitCode = check && stale.length ? 1 : 0;
}
