/**
 * Stores keyed by request data (ids, tokens, slugs) are plain JSON objects, so that a sandbox's state can be
 * snapshotted and persisted as is. An id is data, never a property name: a plain object answers `constructor`,
 * `toString` or `__proto__` from its prototype, and an assignment to `__proto__` replaces the prototype. Every
 * lookup of such a store sees its own entries only, and every write makes an own entry.
 */
import { rawOf } from './sandbox/transaction.ts';

/** The entry `key` of a store, or undefined when it has none of its own (an inherited name is no entry). */
export function entryOf<T>(store: Readonly<Record<string, T>> | undefined, key: string | number): T | undefined {
  return store !== undefined && Object.hasOwn(rawOf(store), key) ? store[key] : undefined;
}

/** Whether the store has an entry of its own named `key`. */
export function hasEntry(store: object, key: string | number): boolean {
  return Object.hasOwn(rawOf(store), key);
}

/** Sets the entry `key` as an own property, `__proto__` included; returns the value. */
export function setEntry<T>(store: Record<string, T>, key: string | number, value: T): T {
  if (key === '__proto__')
    Object.defineProperty(store, key, { value, enumerable: true, writable: true, configurable: true });
  else store[key] = value;
  return value;
}

/** The entry `key`, created with `create()` when the store has none of its own. */
export function entryOrCreate<T>(store: Record<string, T>, key: string | number, create: () => T): T {
  return Object.hasOwn(store, key) ? store[key]! : setEntry(store, key, create());
}
