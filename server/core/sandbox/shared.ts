/**
 * Data every sandbox shares (the fixtures): frozen, so that nothing can write it, and known as shared, so that a
 * transaction's view copies what a request writes into the sandbox's own state first (transaction.ts). A sandbox
 * that has only been read costs its own root objects; one that wrote, the objects on the paths it wrote to.
 */

const sharedObjects = new WeakSet<object>();

export function isShared(value: object): boolean {
  return sharedObjects.has(value);
}

function isPlainData(value: object): boolean {
  if (Array.isArray(value)) return true;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Freezes `value` and every object in it and marks them shared; returns `value`. Plain objects and arrays only:
 * a Map, Set or Date stays writable when frozen, so fixtures holding one are refused.
 */
export function share<T>(value: T): T {
  if (typeof value !== 'object' || value === null || sharedObjects.has(value)) return value;
  if (!isPlainData(value))
    throw new TypeError(
      `Shared fixtures must be plain objects and arrays, not ${Object.prototype.toString.call(value)}`,
    );
  for (const key of Object.keys(value)) share((value as Record<string, unknown>)[key]);
  Object.freeze(value);
  sharedObjects.add(value);
  return value;
}

/** A writable copy of a shared object or array, one level deep: the objects in it stay shared. */
export function shallowCopy<T extends object>(value: T): T {
  if (Array.isArray(value)) return value.slice() as T;
  // Object.assign onto a null-prototype object defines "__proto__" like any key; spread does for the others.
  return Object.getPrototypeOf(value) === null ? Object.assign(Object.create(null), value) : { ...value };
}
