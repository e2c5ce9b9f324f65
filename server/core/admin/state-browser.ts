/**
 * A vendor's state seen as collections of records, read from the marks of its state schema
 * (server/apis/<api>/state.schema.json, written from the JSDoc tags of its state.ts):
 * - `standinMain`: the collection a browser opens on;
 * - `standinKey`: the field that names each record of a list (without it, a record is named by its index);
 * - `standinHidden`: a secret or an internal (a signing key, a password hash, an id counter), never listed, and kept
 *   as it is by an edit.
 * A property whose value is a map or a list is a collection; a map of maps or lists (tenant → id → record) groups
 * its records, named `group/key`. Every other property is a value. Knows no vendor: every name comes from the schema.
 */
import { entryOf, hasEntry, setEntry } from '../records.ts';

type Schema = Record<string, unknown>;

export interface Collection {
  name: string;
  kind: 'map' | 'list';
  /** A map of maps or lists: a record is named by its group, then its key. */
  grouped: boolean;
  /** The field naming each record of a list. */
  key?: string;
  /** Fields of each record kept out of sight, and out of reach of an edit. */
  hiddenFields: string[];
}

export interface StateOutline {
  /** The collection to open on: the marked one, else the first. */
  main: string | undefined;
  collections: Collection[];
  /** Properties that are no collection, hidden ones aside, with the fields of their own that they hide. */
  values: { name: string; hiddenFields: string[] }[];
}

/** A record as listed: its name, the path segments that reach it, and what of it may be shown. */
export interface ListedRecord {
  id: string;
  path: string[];
  record: unknown;
}

export class RecordError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const isObject = (value: unknown): value is Schema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function resolve(schema: unknown, root: Schema): Schema {
  let current = isObject(schema) ? schema : {};
  for (let depth = 0; typeof current.$ref === 'string' && depth < 32; depth++) {
    const name = current.$ref.replace(/^#\/definitions\//, '');
    current = (isObject(root.definitions) && isObject(root.definitions[name]) && root.definitions[name]) || {};
  }
  return current;
}

/** What a map or list holds, or undefined for anything else. */
function elementOf(schema: Schema, root: Schema): { kind: 'map' | 'list'; element: unknown } | undefined {
  const resolved = resolve(schema, root);
  if (resolved.type === 'array' && isObject(resolved.items)) return { kind: 'list', element: resolved.items };
  if (resolved.type === 'object' && !resolved.properties && isObject(resolved.additionalProperties))
    return { kind: 'map', element: resolved.additionalProperties };
  return undefined;
}

const isHidden = (schema: unknown) => isObject(schema) && schema.standinHidden === true;

function hiddenFieldsOf(schema: unknown, root: Schema): string[] {
  const properties = resolve(schema, root).properties;
  return isObject(properties) ? Object.keys(properties).filter((name) => isHidden(properties[name])) : [];
}

/** The collections and values of a state, from its JSON Schema. */
export function outlineOf(stateSchema: unknown): StateOutline {
  const root = isObject(stateSchema) ? stateSchema : {};
  const properties = resolve(root, root).properties;
  const outline: StateOutline = { main: undefined, collections: [], values: [] };
  if (!isObject(properties)) return outline;
  for (const [name, property] of Object.entries(properties)) {
    if (!isObject(property) || isHidden(property)) continue;
    const outer = elementOf(property, root);
    if (!outer) {
      outline.values.push({ name, hiddenFields: hiddenFieldsOf(property, root) });
      continue;
    }
    const inner = outer.kind === 'map' ? elementOf(resolve(outer.element, root), root) : undefined;
    const { kind, element } = inner ?? outer;
    outline.collections.push({
      name,
      kind,
      grouped: inner !== undefined,
      ...(typeof property.standinKey === 'string' && { key: property.standinKey }),
      hiddenFields: hiddenFieldsOf(element, root),
    });
    if (property.standinMain === true) outline.main ??= name;
  }
  outline.main ??= outline.collections[0]?.name;
  return outline;
}

/** The value without the fields the schema hides. */
export function visible(value: unknown, hiddenFields: string[]): unknown {
  if (!isObject(value) || hiddenFields.length === 0) return value;
  return Object.fromEntries(Object.entries(value).filter(([field]) => !hiddenFields.includes(field)));
}

function keyOf(record: unknown, index: number, collection: Collection): string {
  if (collection.key === undefined) return String(index);
  return isObject(record) ? String(record[collection.key]) : String(index);
}

function entriesOf(container: unknown, collection: Collection): [string, unknown][] {
  if (Array.isArray(container)) return container.map((record, index) => [keyOf(record, index, collection), record]);
  return isObject(container) ? Object.entries(container) : [];
}

/** Every record of a collection of the state, hidden fields left out. */
export function listRecords(state: unknown, collection: Collection): ListedRecord[] {
  const outer = isObject(state) ? entryOf(state, collection.name) : undefined;
  const groups: [string[], unknown][] = collection.grouped
    ? entriesOf(outer, { ...collection, key: undefined }).map(([group, inner]) => [[group], inner])
    : [[[], outer]];
  return groups.flatMap(([prefix, container]) =>
    entriesOf(container, collection).map(([key, record]) => {
      const path = [...prefix, key];
      return { id: path.join('/'), path, record: visible(record, collection.hiddenFields) };
    }),
  );
}

interface Place {
  container: Record<string, unknown> | unknown[];
  key: string | number;
}

/** Where the record at `path` sits in the state, or undefined when there is none. */
function placeOf(state: unknown, collection: Collection, path: string[]): Place | undefined {
  if (path.length !== (collection.grouped ? 2 : 1)) return undefined;
  let container: unknown = isObject(state) ? entryOf(state, collection.name) : undefined;
  if (collection.grouped) container = isObject(container) ? entryOf(container, path[0]!) : undefined;
  const key = path[path.length - 1]!;
  if (Array.isArray(container)) {
    const index =
      collection.key === undefined
        ? /^\d+$/.test(key) && Number(key) < container.length
          ? Number(key)
          : -1
        : container.findIndex((record, i) => keyOf(record, i, collection) === key);
    return index < 0 ? undefined : { container, key: index };
  }
  return isObject(container) && hasEntry(container, key) ? { container, key } : undefined;
}

const notFound = (collection: Collection, path: string[]) =>
  new RecordError(404, `${collection.name} has no record ${path.join('/')}`);

/** The record at `path`, hidden fields left out; a 404 RecordError when there is none. */
export function readRecord(state: unknown, collection: Collection, path: string[]): unknown {
  const place = placeOf(state, collection, path);
  if (!place) throw notFound(collection, path);
  return visible(readAt(place), collection.hiddenFields);
}

const readAt = (place: Place): unknown =>
  Array.isArray(place.container) ? place.container[place.key as number] : entryOf(place.container, place.key);

/**
 * A copy of the state with the record at `path` replaced by `given` (its hidden fields kept as they were), or removed
 * when `given` is undefined. The state itself is left as it is: the caller checks the copy before storing it.
 */
export function withRecord(state: unknown, collection: Collection, path: string[], given?: unknown): unknown {
  const copy = structuredClone(state);
  const place = placeOf(copy, collection, path);
  if (!place) throw notFound(collection, path);
  if (given === undefined) {
    if (Array.isArray(place.container)) place.container.splice(place.key as number, 1);
    else delete place.container[place.key];
    return copy;
  }
  const record = mergedWithHidden(readAt(place), given, collection.hiddenFields);
  if (Array.isArray(place.container)) place.container[place.key as number] = record;
  else setEntry(place.container, place.key, record);
  return copy;
}

function mergedWithHidden(stored: unknown, given: unknown, hiddenFields: string[]): unknown {
  if (!isObject(given) || !isObject(stored)) return given;
  const named = hiddenFields.filter((field) => Object.hasOwn(given, field));
  if (named.length)
    throw new RecordError(400, `${named.join(', ')}: hidden, kept as stored; leave it out of the record`);
  const kept = hiddenFields.filter((field) => Object.hasOwn(stored, field)).map((field) => [field, stored[field]]);
  return { ...given, ...Object.fromEntries(kept) };
}
