/**
 * Bodies from a contract's JSON schemas: a plausible valid body (examples first, else the smallest value each
 * keyword allows), and the places in it where the fuzzer can break something.
 */
import { resolveLocal, type JsonSchema } from '../../server/core/contract/load.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function resolve(document: object, schema: JsonSchema | undefined): JsonSchema {
  return (schema ? resolveLocal<JsonSchema>(document, schema as JsonSchema) : {}) ?? {};
}

/** allOf members merged (properties, required), the first oneOf/anyOf member taken. */
function flatten(document: object, raw: JsonSchema | undefined, depth = 0): JsonSchema {
  let schema = resolve(document, raw);
  if (depth > 8) return schema;
  if (Array.isArray(schema.allOf)) {
    const merged: JsonSchema = { ...schema, allOf: undefined };
    const properties: Record<string, JsonSchema> = { ...((schema.properties as Record<string, JsonSchema>) ?? {}) };
    const required = new Set<string>((schema.required as string[]) ?? []);
    for (const member of schema.allOf as JsonSchema[]) {
      const flat = flatten(document, member, depth + 1);
      Object.assign(properties, flat.properties ?? {});
      for (const name of (flat.required as string[]) ?? []) required.add(name);
      if (flat.type && !merged.type) merged.type = flat.type;
    }
    schema = { ...merged, properties, required: [...required] };
  }
  for (const key of ['oneOf', 'anyOf'] as const) {
    if (Array.isArray(schema[key]) && (schema[key] as JsonSchema[]).length) {
      const members = (schema[key] as JsonSchema[]).map((m) => flatten(document, m, depth + 1));
      const first = members.find((m) => m.type !== 'null') ?? members[0]!;
      const { [key]: _, ...rest } = schema;
      schema = {
        ...rest,
        ...first,
        properties: { ...((rest.properties as object) ?? {}), ...((first.properties as object) ?? {}) },
        required: [...new Set([...((rest.required as string[]) ?? []), ...((first.required as string[]) ?? [])])],
      };
    }
  }
  return schema;
}

function mainType(schema: JsonSchema): string | undefined {
  const type = schema.type;
  if (Array.isArray(type)) return (type as string[]).find((t) => t !== 'null') ?? (type[0] as string);
  if (typeof type === 'string') return type;
  if (schema.properties) return 'object';
  if (schema.items) return 'array';
  return undefined;
}

const FORMAT_SAMPLES: Record<string, string> = {
  email: 'fuzz@example.com',
  'date-time': '2026-11-15T12:00:00Z',
  date: '2026-11-15',
  time: '12:00:00Z',
  uuid: '0b8e2a43-1c2d-4e5f-8a9b-0c1d2e3f4a5b',
  uri: 'https://example.com/x',
  'uri-reference': '/x',
  hostname: 'example.com',
  ipv4: '127.0.0.1',
};

function sampleString(schema: JsonSchema): string {
  if (typeof schema.format === 'string' && FORMAT_SAMPLES[schema.format]) return FORMAT_SAMPLES[schema.format]!;
  const min = (schema.minLength as number | undefined) ?? 0;
  const candidates = [
    'abc',
    'fuzz-value',
    'ABC123',
    '1',
    '/x/',
    'a.b',
    'USD',
    '2026-11-15',
    'x'.repeat(Math.max(min, 1)),
  ];
  if (typeof schema.pattern === 'string') {
    const pattern = new RegExp(schema.pattern as string, 'u');
    const hit = candidates.find((c) => pattern.test(c) && c.length >= min);
    if (hit) return hit;
  }
  let value = 'fuzz';
  while (value.length < min) value += 'z';
  const max = schema.maxLength as number | undefined;
  return max !== undefined ? value.slice(0, Math.max(max, min)) : value;
}

/**
 * A value the schema should accept: its example when it has one, else the smallest value its keywords allow; with
 * `full`, every property it describes is there (more places to break), not only the required ones.
 */
export function sampleOf(document: object, raw: JsonSchema | undefined, depth = 0, full = false): Json {
  const schema = flatten(document, raw);
  if (schema.example !== undefined) return structuredClone(schema.example) as Json;
  if (schema.const !== undefined) return schema.const as Json;
  if (Array.isArray(schema.enum) && schema.enum.length) return (schema.enum as Json[]).find((v) => v !== null) ?? null;
  if (schema.default !== undefined) return structuredClone(schema.default) as Json;
  if (depth > 6) return null;
  switch (mainType(schema)) {
    case 'object': {
      const out: Record<string, Json> = {};
      const properties = (schema.properties as Record<string, JsonSchema>) ?? {};
      const names = full
        ? [...new Set([...((schema.required as string[]) ?? []), ...Object.keys(properties)])]
        : ((schema.required as string[]) ?? []);
      for (const name of names) out[name] = sampleOf(document, properties[name], depth + 1, full);
      return out;
    }
    case 'array': {
      const min = Math.max((schema.minItems as number | undefined) ?? 0, 1);
      return Array.from({ length: min }, () => sampleOf(document, schema.items as JsonSchema, depth + 1, full));
    }
    case 'string':
      return sampleString(schema);
    case 'integer':
    case 'number': {
      const min = (schema.minimum as number | undefined) ?? ((schema.exclusiveMinimum as number | undefined) ?? 0) + 1;
      const max = (schema.maximum as number | undefined) ?? Number.MAX_SAFE_INTEGER;
      return Math.min(min, max);
    }
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return 'fuzz';
  }
}

/** A place in a JSON value: the keys from the root, and the schema that describes it there. */
export interface Place {
  path: Array<string | number>;
  schema: JsonSchema;
  value: Json;
}

/** Every place in `value` (the root included), with the schema each one should follow. */
export function placesOf(
  document: object,
  raw: JsonSchema | undefined,
  value: Json,
  path: Array<string | number> = [],
  depth = 0,
): Place[] {
  const schema = flatten(document, raw);
  const places: Place[] = [{ path, schema, value }];
  if (depth > 8 || value === null || typeof value !== 'object') return places;
  if (Array.isArray(value)) {
    value.forEach((item, i) =>
      places.push(...placesOf(document, schema.items as JsonSchema, item, [...path, i], depth + 1)),
    );
  } else {
    const properties = (schema.properties as Record<string, JsonSchema>) ?? {};
    for (const [key, item] of Object.entries(value))
      places.push(
        ...placesOf(
          document,
          properties[key] ?? (schema.additionalProperties as JsonSchema | undefined),
          item,
          [...path, key],
          depth + 1,
        ),
      );
  }
  return places;
}

/** A copy of `root` with the value at `path` replaced (or deleted when `replacement` is undefined). */
export function replaced(root: Json, path: Array<string | number>, replacement: Json | undefined): Json | undefined {
  if (!path.length) return replacement;
  const copy = structuredClone(root);
  let node = copy as Record<string | number, Json>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, Json>;
  const last = path[path.length - 1]!;
  if (replacement === undefined) {
    if (Array.isArray(node)) node.splice(last as number, 1);
    else delete node[last];
  } else node[last] = replacement;
  return copy;
}

export type { Json };
