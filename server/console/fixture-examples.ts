/**
 * The contract as the API reference pages show it: a copy where every scalar property and parameter that has no
 * example of its own takes a value of the same name from the fixtures, so Redoc's samples read `"country_id": 235`
 * rather than `0` or `"string"`. A value is taken only when the property's schema accepts it (type, format,
 * pattern, bounds), else null where the schema allows it; the contract files stay as they are.
 */
import { createRequire } from 'node:module';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import { addFormats } from '../core/validator/compile.ts';

type Node = Record<string, unknown>;

const require = createRequire(import.meta.url);
const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null;
const isScalar = (value: unknown) => ['string', 'number', 'boolean'].includes(typeof value);

/** Every scalar of the fixtures by the name of the property holding it, first seen first, without repeats. */
export function fixtureValuesByName(fixtures: unknown): Map<string, unknown[]> {
  const byName = new Map<string, unknown[]>();
  const add = (name: string, value: unknown) => {
    const values = byName.get(name) ?? [];
    if (!values.includes(value)) byName.set(name, [...values, value]);
  };
  const walk = (value: unknown) => {
    if (Array.isArray(value)) for (const item of value) walk(item);
    else if (isNode(value))
      for (const [name, child] of Object.entries(value)) {
        if (isScalar(child)) add(name, child);
        else walk(child);
      }
  };
  walk(fixtures);
  return byName;
}

/** A schema that takes a scalar example: no example, default, enum or const of its own, and no reference. */
function wantsExample(schema: unknown): schema is Node {
  if (!isNode(schema)) return false;
  if (['example', 'examples', 'default', 'enum', 'const', '$ref'].some((k) => k in schema)) return false;
  const types = ([] as unknown[]).concat(schema.type ?? []);
  return types.some((t) => t === 'string' || t === 'integer' || t === 'number');
}

const SKIPPED = new Set(['x-standin-note', 'description', 'example', 'examples']);

/** A copy of `document` with fixture examples written into it. */
export function withFixtureExamples<D extends object>(document: D, values: Map<string, unknown[]>): D {
  const Ajv = (require('ajv/dist/2020.js') as { default: new (options: object) => Ajv2020 }).default;
  const ajv = new Ajv({ strict: false, allErrors: false });
  addFormats(ajv);
  const validators = new Map<string, (value: unknown) => boolean>();
  const accepts = (schema: Node, value: unknown) => {
    const key = JSON.stringify(schema);
    let validate = validators.get(key);
    if (!validate) {
      const compiled = ajv.compile(schema);
      validate = (v: unknown) => compiled(v) === true;
      validators.set(key, validate);
    }
    return validate(value);
  };
  // A nullable property the fixtures never fill reads null, as the fixtures' records would answer it.
  const exampleFor = (name: string, schema: Node) =>
    (values.get(name) ?? []).find((value) => accepts(schema, value)) ?? (accepts(schema, null) ? null : undefined);

  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!isNode(node)) return;
    if (typeof node.name === 'string' && typeof node.in === 'string' && !('example' in node) && !('examples' in node)) {
      const example = wantsExample(node.schema) ? exampleFor(node.name, node.schema) : undefined;
      if (example !== undefined) node.example = example;
    }
    if (isNode(node.properties))
      for (const [name, schema] of Object.entries(node.properties)) {
        const example = wantsExample(schema) ? exampleFor(name, schema) : undefined;
        if (example !== undefined) (schema as Node).example = example;
      }
    for (const [key, child] of Object.entries(node)) {
      // A property's name is data, even `description`: every property schema is visited.
      if (key === 'properties' && isNode(child)) Object.values(child).forEach(visit);
      else if (!SKIPPED.has(key)) visit(child);
    }
  };
  const copy = structuredClone(document);
  visit(copy);
  return copy;
}
