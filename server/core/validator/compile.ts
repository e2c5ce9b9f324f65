import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';
import type { Contract, JsonSchema, Operation, Parameter } from '../contract/load.ts';

// ajv-formats is CommonJS: under ESM its default export can arrive wrapped.
export const addFormats = ((addFormatsModule as unknown as { default?: FormatsPlugin }).default ?? addFormatsModule) as FormatsPlugin;

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
  /** status → media type → validator (undefined: no schema, only the media type is checked) */
  responses: Map<string, Map<string, ValidateFunction | undefined>>;
}

/** A Map whose values are made on first `get`: response validators compiled only when the self-check runs. */
export class LazyMap<K, V> extends Map<K, V> {
  private readonly pending = new Map<K, () => V>();

  lazy(key: K, make: () => V): this {
    this.pending.set(key, make);
    super.set(key, undefined as V);
    return this;
  }

  override get(key: K): V | undefined {
    const make = this.pending.get(key);
    if (make) {
      this.pending.delete(key);
      super.set(key, make());
    }
    return super.get(key);
  }

  /** Makes every value now. */
  force(): void {
    for (const key of [...this.pending.keys()]) this.get(key);
  }
}

/** Compiles the response validators that compileContract(…, { lazyResponses: true }) left for later. */
export function compileResponseValidators(validators: Map<string, OperationValidators>): void {
  for (const op of validators.values()) for (const media of op.responses.values()) if (media instanceof LazyMap) media.force();
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

function newAjv(options: { coerce: boolean }) {
  const ajv = new Ajv2020({
    allErrors: true,
    strict: true,
    strictTypes: false,
    strictRequired: false,
    coerceTypes: options.coerce ? 'array' : false,
    useDefaults: options.coerce,
  });
  addFormats(ajv);
  ajv.addVocabulary(['example', 'x-standin-note']);
  return ajv;
}

export function isJsonMediaType(type: string): boolean {
  return /(^|[/+])json($|;)/i.test(type) || type === '*/*';
}

/**
 * Compiles every validator of a contract once. With `lazyResponses` the response validators (the self-check's,
 * some 40% of the start-up) are compiled on first use instead, or by compileResponseValidators.
 */
export function compileContract(contract: Contract, options: { lazyResponses?: boolean } = {}): Map<string, OperationValidators> {
  const { api, document } = contract;
  const bodies = newAjv({ coerce: false });
  const params = newAjv({ coerce: true });
  for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) {
    const retargeted = { ...(retarget(api, schema) as object), $id: schemaId(api, name) };
    bodies.addSchema(retargeted);
    params.addSchema(structuredClone(retargeted));
  }
  const compiled = new Map<string, OperationValidators>();
  for (const op of contract.operations) {
    compiled.set(op.operationId, {
      params: {
        path: compileParams(params, api, op, 'path'),
        query: compileParams(params, api, op, 'query'),
        header: compileParams(params, api, op, 'header'),
      },
      body: new Map(
        Object.entries(op.requestBody?.content ?? {}).map(([type, media]) => [
          type,
          media.schema && isJsonMediaType(type) ? bodies.compile(retarget(api, media.schema) as object) : undefined,
        ]),
      ),
      responses: new Map(
        Object.entries(op.responses).map(([status, media]) => {
          const validators = new LazyMap<string, ValidateFunction | undefined>();
          for (const [type, schema] of Object.entries(media))
            validators.lazy(type, () => (schema && isJsonMediaType(type) ? bodies.compile(retarget(api, schema) as object) : undefined));
          if (!options.lazyResponses) validators.force();
          return [status, validators];
        }),
      ),
    });
  }
  return compiled;
}

function compileParams(
  ajv: Ajv2020,
  api: string,
  op: Operation,
  location: Parameter['in'],
): ValidateFunction | undefined {
  const list = op.parameters.filter((p) => p.in === location);
  if (!list.length) return undefined;
  return ajv.compile({
    type: 'object',
    properties: Object.fromEntries(list.map((p) => [p.name, retarget(api, p.schema) as JsonSchema])),
    required: list.filter((p) => p.required).map((p) => p.name),
  });
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
