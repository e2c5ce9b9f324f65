/**
 * A vendor's own API document (OpenAPI 3.0 or Swagger 2.0), used as an independent judge of our responses:
 * drift between what Standin answers and what the vendor documents.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { Router } from '../router/match.ts';
import { addFormats, toProblems, type Problem } from '../validator/compile.ts';
import type { HttpMethod } from './load.ts';

interface VendorOperation {
  method: HttpMethod;
  path: string;
  operationId: string;
  /** status → validator of a JSON body (undefined: no schema). */
  responses: Map<string, ValidateFunction | undefined>;
}

export interface VendorDocument {
  file: string;
  operations: VendorOperation[];
  router: Router<VendorOperation>;
}

type Node = Record<string, unknown>;
/** A value of the document as an object, when it is one. */
const nodeOf = (value: unknown): Node | undefined => (value && typeof value === 'object' ? (value as Node) : undefined);
const METHODS: HttpMethod[] = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];
const DROPPED = new Set(['example', 'examples', 'xml', 'externalDocs', 'discriminator', 'nullable', 'x-nullable']);
const vendorId = (name: string) => `vendor:${encodeURIComponent(name)}`;

/**
 * Turns an OpenAPI 3.0 / Swagger 2.0 schema into JSON Schema 2020-12: `nullable` becomes a null type, boolean
 * exclusive bounds become numeric ones, refs point at the registered definitions, and an `allOf` whose members
 * close themselves with `additionalProperties: false` is read as intended (closed over the union of the members).
 */
export function vendorSchema(schema: unknown, definitions: Node): unknown {
  if (Array.isArray(schema)) return schema.map((s) => vendorSchema(s, definitions));
  if (!schema || typeof schema !== 'object') return schema;
  const node = schema as Node;
  const out: Node = {};
  for (const [key, value] of Object.entries(node)) {
    if (DROPPED.has(key) || key.startsWith('x-')) continue;
    if (key === '$ref' && typeof value === 'string') out.$ref = vendorId(decodeURIComponent(value.split('/').pop()!));
    else if (key === 'properties' || key === 'patternProperties' || key === 'definitions')
      out[key] = Object.fromEntries(Object.entries(value as Node).map(([k, v]) => [k, vendorSchema(v, definitions)]));
    else out[key] = vendorSchema(value, definitions);
  }
  if (node.nullable === true || node['x-nullable'] === true) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    else return { anyOf: [out, { type: 'null' }] };
  }
  for (const [bound, flag] of [
    ['minimum', 'exclusiveMinimum'],
    ['maximum', 'exclusiveMaximum'],
  ] as const) {
    if (typeof out[flag] === 'boolean') {
      if (out[flag]) out[flag] = out[bound];
      else delete out[flag];
      if (out[flag] !== undefined) delete out[bound];
    }
  }
  if (Array.isArray(node.allOf)) {
    const members = (node.allOf as Node[]).map((member) => {
      const target = member.$ref ? definitions[decodeURIComponent(String(member.$ref).split('/').pop()!)] : member;
      return target && typeof target === 'object' ? (vendorSchema(target, definitions) as Node) : member;
    });
    if (members.some((m) => m.additionalProperties === false)) {
      out.allOf = members.map(({ additionalProperties, ...rest }) =>
        additionalProperties === false ? rest : { ...rest, additionalProperties },
      );
      out.unevaluatedProperties = false;
    }
  }
  return out;
}

/** Loads and compiles a vendor document once. */
export function loadVendorDocument(file: string): VendorDocument {
  const text = readFileSync(file, 'utf8');
  const doc = (file.endsWith('.json') ? JSON.parse(text) : parse(text)) as Node;
  const swagger = typeof doc.swagger === 'string';
  const definitions: Node = nodeOf(swagger ? doc.definitions : nodeOf(doc.components)?.schemas) ?? {};
  const basePath = swagger ? String(doc.basePath ?? '').replace(/\/$/, '') : '';
  const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: true });
  addFormats(ajv);
  for (const format of ['int32', 'int64', 'float', 'double', 'byte', 'binary', 'password']) ajv.addFormat(format, true);
  for (const [name, schema] of Object.entries(definitions))
    ajv.addSchema({ ...(vendorSchema(schema, definitions) as Node), $id: vendorId(name) });
  const resolve = (node: Node | undefined): Node | undefined => {
    let current = node;
    for (let hops = 0; current?.$ref && hops < 10; hops++)
      current = String(current.$ref)
        .slice(2)
        .split('/')
        .reduce<Node | undefined>((n, k) => nodeOf(n?.[k]), doc);
    return current;
  };
  const operations: VendorOperation[] = [];
  for (const [path, item] of Object.entries((doc.paths ?? {}) as Node)) {
    for (const method of METHODS) {
      const op = (item as Node)[method] as Node | undefined;
      if (!op) continue;
      const responses = new Map<string, ValidateFunction | undefined>();
      for (const [status, raw] of Object.entries((op.responses ?? {}) as Node)) {
        const response = resolve(raw as Node) ?? {};
        const schema = swagger
          ? response.schema
          : nodeOf(Object.entries((response.content ?? {}) as Node).find(([type]) => /json/i.test(type))?.[1])?.schema;
        responses.set(status, schema ? ajv.compile(vendorSchema(schema, definitions) as Node) : undefined);
      }
      operations.push({
        method,
        path: `${basePath}${path}`,
        operationId: String(op.operationId ?? `${method} ${path}`),
        responses,
      });
    }
  }
  return { file, operations, router: new Router(operations) };
}

/**
 * What the vendor's document finds wrong with a JSON response; undefined when the document has no such
 * operation. A status the document does not list is a problem; a documented status without a schema is not.
 */
export function vendorProblems(
  doc: VendorDocument,
  method: string,
  path: string,
  status: number,
  body: unknown,
): Problem[] | undefined {
  const match = doc.router.match(method, path);
  if (match.kind !== 'operation') return undefined;
  const { responses } = match.operation;
  const key = [String(status), `${String(status)[0]}XX`, 'default'].find((k) => responses.has(k));
  if (!key)
    return [
      {
        in: 'response',
        pointer: '',
        keyword: 'status',
        message: `${match.operation.operationId} documents no ${status}`,
      },
    ];
  const validate = responses.get(key);
  return !validate || validate(body) ? [] : toProblems('response', validate.errors);
}
