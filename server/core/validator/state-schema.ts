/**
 * A vendor's state checked against its JSON Schema (server/apis/<api>/state.schema.json, generated from the
 * vendor's TypeScript state type by scripts/state-schemas.ts): what a plugin's validateState runs on a restored
 * snapshot. Compiled on first use, and Ajv's standalone code kept in the start-up cache like the contracts'.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Ajv as AjvClass, ErrorObject, ValidateFunction } from 'ajv';
import type standaloneModule from 'ajv/dist/standalone/index.js';
import type { FormatsPlugin } from 'ajv-formats';
import { cacheFile, sha256, writeCacheFile } from '../cache.ts';

const require = createRequire(import.meta.url);
/** At most this many problems are named in an answer. */
const MAX_PROBLEMS = 20;

function describeError(error: ErrorObject): string {
  const at = error.instancePath || '/';
  if (error.keyword === 'additionalProperties')
    return `${at} has ${JSON.stringify(error.params.additionalProperty)}, which is not a field of it`;
  return `${at} ${error.message ?? 'is not valid'}`;
}

function compile(schemaText: string): ValidateFunction {
  const versions = ['ajv/package.json', 'ajv-formats/package.json'].map(
    (file) => (require(file) as { version: string }).version,
  );
  const file = cacheFile('validators', `state-${sha256(schemaText, ...versions)}.cjs`);
  try {
    return require(file) as ValidateFunction;
  } catch {
    // not cached yet: compile
  }
  const { Ajv } = require('ajv') as { Ajv: typeof AjvClass };
  const ajv = new Ajv({ allErrors: true, strict: false, code: { source: true } });
  (require('ajv-formats') as FormatsPlugin)(ajv);
  const validate = ajv.compile(JSON.parse(schemaText));
  writeCacheFile(file, (require('ajv/dist/standalone/index.js') as typeof standaloneModule.default)(ajv, validate));
  return validate;
}

/** A plugin's validateState: the problems of a state (none: it fits), and the schema it checks against. */
export interface StateCheck {
  (state: unknown): string[];
  /** The JSON Schema of the state, as its file has it (read once). */
  schema(): unknown;
}

/** A validateState for a plugin: the problems of a state against the schema in `schemaFile`. */
export function stateSchemaCheck(schemaFile: URL): StateCheck {
  let text: string | undefined;
  let validate: ValidateFunction | undefined;
  const schemaText = () => (text ??= readFileSync(schemaFile, 'utf8'));
  const check = (state: unknown) => {
    validate ??= compile(schemaText());
    if (validate(state)) return [];
    return (validate.errors ?? []).slice(0, MAX_PROBLEMS).map(describeError);
  };
  return Object.assign(check, { schema: () => JSON.parse(schemaText()) as unknown });
}
