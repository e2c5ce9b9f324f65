/**
 * Replies as JSON text, without serialising again what did not change. Data at rest is shared (shared.ts: frozen all
 * the way down: the fixtures, a sandbox's loaded state until it writes), so its rendering cannot change either:
 * `renderedOnce` keeps the rendering of a shared record, shared in turn, and `jsonText` writes each shared object
 * it meets from its JSON text, serialised once. A list of 30 prices is then mostly joined, not serialised. And a
 * reply made of such data needs no text kept to be written again: `copyAtRest` copies its few containers, and the
 * journal keeps that copy rather than the text.
 */
import { isShared, share } from './sandbox/shared.ts';
import { rawOf } from './sandbox/transaction.ts';

/** Shared objects (renderings and state at rest) met by jsonText → their JSON text. */
const texts = new WeakMap<object, string>();

/**
 * How deep jsonText walks a reply: the document and its members (data, included, meta); the members of those are
 * taken from their kept text when they are shared, else serialised by JSON.stringify (faster than a walk in JS).
 */
const DEPTH = 2;

/** True for a primitive, or data that nothing can change (shared). */
const atRest = (value: unknown): boolean => typeof value !== 'object' || value === null || isShared(value);

/**
 * `render` kept per shared record and context: called again only for a record that is not at rest (written in this
 * sandbox) or with other context objects. `render` must be a pure function of its arguments returning plain data;
 * what it returns for a record at rest is shared, so frozen (a caller that changed it would change every later
 * reply).
 */
export function renderedOnce<Subject extends object, Context extends unknown[], Rendered extends object>(
  render: (subject: Subject, ...context: Context) => Rendered,
): (subject: Subject, ...context: Context) => Rendered {
  const kept = new WeakMap<object, { context: unknown[]; rendered: Rendered }>();
  return (subject, ...context) => {
    // A rendering is kept for a record at rest with context objects at rest: given the same objects, it holds.
    const hit = kept.get(subject);
    if (hit && sameObjects(hit.context, context)) return hit.rendered;
    const raw = rawOf(subject);
    let rest = atRest(raw);
    for (let i = 0; i < context.length; i++) {
      context[i] = rawOf(context[i]);
      rest &&= atRest(context[i]);
    }
    if (!rest) return render(raw, ...context);
    const keptForRaw = raw === subject ? hit : kept.get(raw);
    if (keptForRaw && sameObjects(keptForRaw.context, context)) return keptForRaw.rendered;
    const rendered = share(render(raw, ...context));
    kept.set(raw, { context, rendered });
    return rendered;
  };
}

function sameObjects(a: unknown[], b: unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const isPlainObject = (value: object): boolean => {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

/**
 * Whether jsonText writes an object that is not shared member by member (an array or plain object less than DEPTH deep
 * that does not serialise itself); it gives any other to JSON.stringify whole. copyAtRest copies exactly these.
 */
const walked = (value: object, depth: number): boolean =>
  depth < DEPTH &&
  typeof (value as { toJSON?: unknown }).toJSON !== 'function' &&
  (Array.isArray(value) || isPlainObject(value));

function write(value: unknown, depth: number): string | undefined {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  if (isShared(value)) {
    let text = texts.get(value);
    if (text === undefined) texts.set(value, (text = JSON.stringify(value)));
    return text;
  }
  if (!walked(value, depth)) return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += `${i ? ',' : ''}${write(value[i], depth + 1) ?? 'null'}`;
    return `${out}]`;
  }
  let out = '{';
  for (const key of Object.keys(value)) {
    const member = write((value as Record<string, unknown>)[key], depth + 1);
    if (member !== undefined) out += `${out.length > 1 ? ',' : ''}${JSON.stringify(key)}:${member}`;
  }
  return `${out}}`;
}

/** JSON.stringify(value), byte for byte, taking the kept text of each shared object it meets. */
export function jsonText(value: unknown): string {
  return write(value, 0) ?? '';
}

const NOT_AT_REST = Symbol('not at rest');

function copied(value: unknown, depth: number): unknown {
  if (typeof value !== 'object' || value === null || isShared(value)) return value;
  if (!walked(value, depth)) return NOT_AT_REST;
  if (Array.isArray(value)) {
    const copy: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) {
      const member = copied(value[i], depth + 1);
      if (member === NOT_AT_REST) return NOT_AT_REST;
      copy[i] = member;
    }
    return copy;
  }
  // Null-prototype: a key is data ("__proto__" included).
  const copy: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(value)) {
    const member = copied((value as Record<string, unknown>)[key], depth + 1);
    if (member === NOT_AT_REST) return NOT_AT_REST;
    copy[key] = member;
  }
  return copy;
}

/**
 * A copy of `value` that nothing can change, jsonText writing it as it writes `value`: the objects jsonText walks
 * copied, all else shared data or primitives. None when `value` holds anything else (an object of a sandbox's
 * state that may still change). Kept instead of the text (the journal keeps replies), it is a few small objects.
 */
export function copyAtRest(value: unknown): { copy: unknown } | undefined {
  const copy = copied(value, 0);
  return copy === NOT_AT_REST ? undefined : { copy };
}
