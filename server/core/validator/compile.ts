import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Ajv2020, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import type { FormatsPlugin } from 'ajv-formats';
import type standaloneModule from 'ajv/dist/standalone/index.js';
import { cacheFile, sha256, writeCacheFile } from '../cache.ts';
import type { Contract } from '../contract/load.ts';

// Ajv itself (some 90 modules) is loaded only to compile: a start whose validators are cached runs their code alone.
const require = createRequire(import.meta.url);

export function addFormats(ajv: Ajv2020): void {
  (require('ajv-formats') as FormatsPlugin)(ajv);
}

/** One thing wrong with a request (or with a response, in the self-check). */
export interface Problem {
  in: 'path' | 'query' | 'header' | 'body' | 'content-type' | 'response';
  /** JSON pointer into the located value, e.g. `/data/attributes/name`; for parameters `/<name>`. */
  pointer: string;
  keyword: string;
  message: string;
}

export interface OperationValidators {
  params: Record<'path' | 'query' | 'header', ValidateFunction | undefined>;
  /** media type → validator of the parsed body */
  body: Map<string, ValidateFunction | undefined>;
  /** status → media type → validators (undefined: no schema, only the media type is checked) */
  responses: Map<string, Map<string, ResponseValidator | undefined>>;
}

/**
 * A response schema's two validators. The self-check runs `passes` on every reply: it stops at the first problem,
 * where one that looks for all of them builds and drops an error for every branch of a oneOf that does not match
 * (half its time on a price). Only a reply that fails is run through `problems`, to name what is wrong.
 */
export interface ResponseValidator {
  passes: ValidateFunction;
  problems: ValidateFunction;
}

/** Compiles (or loads) now the response validators compileContract leaves for their first use. */
export function compileResponseValidators(validators: Map<string, OperationValidators>): void {
  for (const op of validators.values()) void op.responses;
}

const componentPrefix = '#/components/schemas/';

function schemaId(api: string, name: string): string {
  return `standin:${api}:${encodeURIComponent(name)}`;
}

/** Points `#/components/schemas/X` refs at the schema Ajv holds for X. */
function retarget(api: string, schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map((item) => retarget(api, item));
  if (!schema || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === '$ref' && typeof value === 'string' && value.startsWith(componentPrefix)) {
      const [name, ...rest] = value.slice(componentPrefix.length).split('/');
      out[key] = schemaId(api, decodeURIComponent(name!)) + (rest.length ? `#/${rest.join('/')}` : '');
    } else {
      out[key] = retarget(api, value);
    }
  }
  return out;
}

function newAjv(options: { coerce: boolean; allErrors: boolean }) {
  const ajv = new (require('ajv/dist/2020.js') as { Ajv2020: typeof Ajv2020 }).Ajv2020({
    allErrors: options.allErrors,
    messages: options.allErrors,
    strict: true,
    strictTypes: false,
    strictRequired: false,
    coerceTypes: options.coerce ? 'array' : false,
    useDefaults: options.coerce,
    code: { source: true },
  });
  addFormats(ajv);
  ajv.addVocabulary(['example', 'x-standin-note']);
  return ajv;
}

export function isJsonMediaType(type: string): boolean {
  return /(^|[/+])json($|;)/i.test(type) || type === '*/*';
}

/** `response-checks`: the response schemas again, for ResponseValidator.passes. */
type Kind = 'params' | 'bodies' | 'responses' | 'response-checks';

/** The schemas a contract's validators of one kind check, by a key naming the operation and place. */
function schemasOf(contract: Contract, kind: Kind): Record<string, object> {
  const { api } = contract;
  const schemas: Record<string, object> = {};
  for (const op of contract.operations) {
    if (kind === 'params') {
      for (const location of ['path', 'query', 'header'] as const) {
        const list = op.parameters.filter((p) => p.in === location);
        if (list.length)
          schemas[`${op.operationId} ${location}`] = {
            type: 'object',
            properties: Object.fromEntries(list.map((p) => [p.name, retarget(api, p.schema)])),
            required: list.filter((p) => p.required).map((p) => p.name),
          };
      }
    } else if (kind === 'bodies') {
      for (const [type, media] of Object.entries(op.requestBody?.content ?? {}))
        if (media.schema && isJsonMediaType(type))
          schemas[`${op.operationId} ${type}`] = retarget(api, media.schema) as object;
    } else {
      for (const [status, media] of Object.entries(op.responses))
        for (const [type, schema] of Object.entries(media))
          if (schema && isJsonMediaType(type))
            schemas[`${op.operationId} ${status} ${type}`] = retarget(api, schema) as object;
    }
  }
  return schemas;
}

/** What the generated validators depend on besides the contract: this file (options, retarget) and Ajv's code. */
const compilerVersion = sha256(
  readFileSync(fileURLToPath(import.meta.url), 'utf8'),
  (require('ajv/package.json') as { version: string }).version,
  (require('ajv-formats/package.json') as { version: string }).version,
);

/**
 * Ajv's code adds a referenced schema's errors with `vErrors.concat(...)`, a copy of every error found so far: with
 * allErrors a list of 50,000 bad items took 26 s (quadratic). Appending in place costs what the errors do.
 */
export function appendErrorsInPlace(source: string): string {
  return source.replace(
    /vErrors === null \? (\w+)\.errors : vErrors\.concat\(\1\.errors\)/g,
    'vErrors === null ? $1.errors : ((errors) => { for (const error of errors) vErrors.push(error); return vErrors; })($1.errors)',
  );
}

/**
 * The validators of one kind, by schemasOf's keys. Compiling them was most of a cold start (and of every suite
 * file's set-up), so Ajv's standalone code for them is kept under node_modules/.cache, named by the hash of the
 * contract and the compiler: later starts load it instead of compiling.
 */
function validatorsOf(contract: Contract, kind: Kind, contractHash: string): Record<string, ValidateFunction> {
  const family = `${contract.api}-${kind}-`;
  const file = cacheFile('validators', `${family}${contractHash}.cjs`);
  try {
    return require(file) as Record<string, ValidateFunction>;
  } catch {
    // not cached yet (or unreadable): compile
  }
  const ajv = newAjv({ coerce: kind === 'params', allErrors: kind !== 'response-checks' });
  for (const [name, schema] of Object.entries(contract.document.components?.schemas ?? {}))
    ajv.addSchema({ ...(retarget(contract.api, schema) as object), $id: schemaId(contract.api, name) });
  const ids: Record<string, string> = {};
  for (const [key, schema] of Object.entries(schemasOf(contract, kind))) {
    ids[key] = `standin:${contract.api}:${kind}:${encodeURIComponent(key)}`;
    ajv.addSchema(schema, ids[key]);
  }
  const source = appendErrorsInPlace(
    (require('ajv/dist/standalone/index.js') as typeof standaloneModule.default)(ajv, ids),
  );
  writeCacheFile(file, source, family);
  // The code just generated, as a later start loads it from the cache.
  const module = { exports: {} as Record<string, ValidateFunction> };
  new Function('module', 'exports', 'require', source)(module, module.exports, require);
  return module.exports;
}

/**
 * Every validator of a contract. The response validators (the self-check's, which runs under --strict and
 * tests) are compiled or loaded on first use, or by compileResponseValidators.
 */
export function compileContract(contract: Contract): Map<string, OperationValidators> {
  const contractHash = sha256(compilerVersion, JSON.stringify(contract.document));
  const params = validatorsOf(contract, 'params', contractHash);
  const bodies = validatorsOf(contract, 'bodies', contractHash);
  let responses: Record<string, ValidateFunction> | undefined;
  let responseChecks: Record<string, ValidateFunction> | undefined;
  const compiled = new Map<string, OperationValidators>();
  for (const op of contract.operations) {
    let opResponses: OperationValidators['responses'] | undefined;
    compiled.set(op.operationId, {
      params: {
        path: params[`${op.operationId} path`],
        query: params[`${op.operationId} query`],
        header: params[`${op.operationId} header`],
      },
      body: new Map(
        Object.keys(op.requestBody?.content ?? {}).map((type) => [type, bodies[`${op.operationId} ${type}`]]),
      ),
      get responses() {
        responses ??= validatorsOf(contract, 'responses', contractHash);
        responseChecks ??= validatorsOf(contract, 'response-checks', contractHash);
        const validatorOf = (key: string): ResponseValidator | undefined =>
          responses![key] && { passes: responseChecks![key]!, problems: responses![key] };
        opResponses ??= new Map(
          Object.entries(op.responses).map(([status, media]) => [
            status,
            new Map(Object.keys(media).map((type) => [type, validatorOf(`${op.operationId} ${status} ${type}`)])),
          ]),
        );
        return opResponses;
      },
    });
  }
  return compiled;
}

export function toProblems(location: Problem['in'], errors: ErrorObject[] | null | undefined): Problem[] {
  return (errors ?? []).map((error) => {
    let pointer = error.instancePath;
    let message = error.message ?? error.keyword;
    if (error.keyword === 'required') {
      pointer += `/${(error.params as { missingProperty: string }).missingProperty}`;
      message = 'is required';
    } else if (error.keyword === 'additionalProperties') {
      pointer += `/${(error.params as { additionalProperty: string }).additionalProperty}`;
      message = 'is not allowed';
    } else if (error.keyword === 'enum') {
      message = `must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    }
    return { in: location, pointer, keyword: error.keyword, message };
  });
}
