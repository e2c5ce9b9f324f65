import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { OpenAPIV3_1 } from 'openapi-types';
import { cacheFile, sha256, writeCacheFile } from '../cache.ts';

export type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'patch' | 'head' | 'options';
const METHODS: HttpMethod[] = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

export type JsonSchema = Record<string, unknown>;

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema: JsonSchema;
  /** The parameter object as written, extensions (x-standin-*) included. */
  spec: OpenAPIV3_1.ParameterObject & Record<string, unknown>;
}

export interface Operation {
  api: string;
  operationId: string;
  method: HttpMethod;
  /** The path as the contract writes it, e.g. `/api/v2/prices/{id}`. */
  path: string;
  parameters: Parameter[];
  requestBody?: { required: boolean; content: Record<string, { schema?: JsonSchema }> };
  /** status ('200', '4XX', 'default') → media type → schema (undefined for an empty body). */
  responses: Record<string, Record<string, JsonSchema | undefined>>;
  /**
   * Security requirement names; empty when the operation is public: it has no requirement, or an empty one (`{}`)
   * among its alternatives, so credentials are optional (auth may still check those that are sent).
   */
  security: string[];
  deprecated: boolean;
  spec: OpenAPIV3_1.OperationObject & Record<string, unknown>;
}

export interface Contract {
  api: string;
  document: OpenAPIV3_1.Document;
  operations: Operation[];
  byId: Map<string, Operation>;
}

export const contractsDir = fileURLToPath(new URL('../../../contracts/', import.meta.url));

export function contractFile(api: string): string {
  return `${contractsDir}${api}/openapi.yaml`;
}

/** Follows a local `#/...` reference inside the document (parameters, bodies, responses). */
export function resolveLocal<T>(document: object, value: T | { $ref: string }): T {
  let current: unknown = value;
  for (let hops = 0; current && typeof current === 'object' && '$ref' in current; hops++) {
    const ref = (current as { $ref: string }).$ref;
    if (!ref.startsWith('#/') || hops > 20) throw new Error(`Unsupported or circular $ref ${ref}`);
    current = ref
      .slice(2)
      .split('/')
      .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], document);
    if (current === undefined) throw new Error(`Unresolved $ref ${ref}`);
  }
  return current as T;
}

/**
 * The YAML document, parsed. Parsing the four contracts took about a fifth of a cold start, so the result is
 * kept as JSON under node_modules/.cache, named by the hash of the text: an edited contract is parsed again.
 */
export function parseContractFile(file: string): OpenAPIV3_1.Document {
  const text = readFileSync(file, 'utf8');
  const cached = cacheFile('contracts', `${sha256(text)}.json`);
  try {
    return JSON.parse(readFileSync(cached, 'utf8')) as OpenAPIV3_1.Document;
  } catch {
    // not cached yet (or unreadable): parse it
  }
  // The YAML parser (some 70 modules) is loaded only when a contract is not cached.
  const { parse } = createRequire(import.meta.url)('yaml') as typeof import('yaml');
  const document = parse(text) as OpenAPIV3_1.Document;
  writeCacheFile(cached, JSON.stringify(document));
  return document;
}

export function loadContract(api: string, file = contractFile(api)): Contract {
  const document = parseContractFile(file);
  const operations: Operation[] = [];
  const globalSecurity = document.security ?? [];
  for (const [path, rawItem] of Object.entries(document.paths ?? {})) {
    const item = resolveLocal(document, rawItem as OpenAPIV3_1.PathItemObject);
    const shared = (item.parameters ?? []).map((p) => resolveLocal<OpenAPIV3_1.ParameterObject>(document, p));
    for (const method of METHODS) {
      const spec = item[method] as (OpenAPIV3_1.OperationObject & Record<string, unknown>) | undefined;
      if (!spec) continue;
      if (!spec.operationId) throw new Error(`${api}: ${method.toUpperCase()} ${path} has no operationId`);
      const own = (spec.parameters ?? []).map((p) => resolveLocal<OpenAPIV3_1.ParameterObject>(document, p));
      const merged = new Map<string, OpenAPIV3_1.ParameterObject>();
      for (const p of [...shared, ...own]) merged.set(`${p.in}:${p.name}`, p);
      const parameters: Parameter[] = [...merged.values()].map((p) => ({
        name: p.in === 'header' ? p.name.toLowerCase() : p.name,
        in: p.in as Parameter['in'],
        required: p.in === 'path' ? true : Boolean(p.required),
        schema: (p.schema ?? {}) as JsonSchema,
        spec: p as Parameter['spec'],
      }));
      const body = spec.requestBody
        ? resolveLocal<OpenAPIV3_1.RequestBodyObject>(document, spec.requestBody)
        : undefined;
      const responses: Operation['responses'] = {};
      for (const [status, rawResponse] of Object.entries(spec.responses ?? {})) {
        if (status.startsWith('x-')) continue; // an extension of the Responses Object (a note), not a status
        const response = resolveLocal<OpenAPIV3_1.ResponseObject>(document, rawResponse);
        responses[status] = Object.fromEntries(
          Object.entries(response.content ?? {}).map(([type, media]) => [type, media.schema as JsonSchema]),
        );
      }
      const requirements = spec.security ?? globalSecurity;
      const security = requirements.some((r) => Object.keys(r).length === 0)
        ? []
        : requirements.flatMap((r) => Object.keys(r));
      operations.push({
        api,
        operationId: spec.operationId,
        method,
        path,
        parameters,
        requestBody: body
          ? {
              required: Boolean(body.required),
              content: Object.fromEntries(
                Object.entries(body.content).map(([type, media]) => [type, { schema: media.schema as JsonSchema }]),
              ),
            }
          : undefined,
        responses,
        security,
        deprecated: Boolean(spec.deprecated),
        spec,
      });
    }
  }
  const byId = new Map<string, Operation>();
  for (const op of operations) {
    if (byId.has(op.operationId)) throw new Error(`${api}: duplicate operationId ${op.operationId}`);
    byId.set(op.operationId, op);
  }
  return { api, document, operations, byId };
}
