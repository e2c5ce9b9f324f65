/**
 * What the tests of a request's writes (transaction.ts's views, named-writes.ts) both hold them to: the JSON data
 * they generate, and the copy-on-write property over shared data.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { shallowCopy, share } from './shared.ts';

/** Nested JSON objects keyed a, b, c, holding numbers, strings and short arrays. */
export const jsonData = fc.object({
  key: fc.constantFrom('a', 'b', 'c'),
  maxDepth: 3,
  values: [fc.integer(), fc.string(), fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 4 })],
});

/** The writes of one request over a state, kept or undone. */
interface Writes {
  commit(): number;
  rollback(): number;
}

/**
 * Over `generated` shared (frozen) under a state root of its own, `write` makes its writes: kept, the root holds
 * what `model` holds (the same writes on plain data); undone, what the shared data holds; the shared data never
 * changes, and the root holds no Proxy.
 */
export function expectCopyOnWrite(
  generated: object,
  model: object,
  keep: boolean,
  write: (root: Record<string, unknown>) => Writes,
): void {
  const shared = share(structuredClone(generated)) as Record<string, unknown>;
  const pristine = JSON.stringify(shared);
  const root = shallowCopy(shared);
  const writes = write(root);
  if (keep) writes.commit();
  else writes.rollback();
  expect(JSON.stringify(root)).toBe(keep ? JSON.stringify(model) : pristine);
  expect(JSON.stringify(shared)).toBe(pristine);
  expect(() => structuredClone(root)).not.toThrow();
}
