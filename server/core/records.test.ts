import { describe, expect, it } from 'vitest';
import { entryOf, entryOrCreate, hasEntry, setEntry } from './records.ts';

const INHERITED = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];

describe('stores keyed by request data', () => {
  it('an inherited name is no entry of a plain object', () => {
    const store: Record<string, number> = { a: 1 };
    for (const name of INHERITED) {
      expect(entryOf(store, name), name).toBeUndefined();
      expect(hasEntry(store, name), name).toBe(false);
    }
    expect(entryOf(store, 'a')).toBe(1);
    expect(entryOf(undefined, 'a')).toBeUndefined();
  });

  it('any name, __proto__ included, is written as an own entry and read back; no prototype changes', () => {
    const store: Record<string, { n: number }> = {};
    INHERITED.forEach((name, n) => setEntry(store, name, { n }));
    expect(Object.getPrototypeOf(store)).toBe(Object.prototype);
    INHERITED.forEach((name, n) => expect(entryOf(store, name), name).toEqual({ n }));
    expect(Object.keys(store)).toEqual(INHERITED);
    expect(JSON.parse(JSON.stringify(store))).toEqual(Object.fromEntries(INHERITED.map((name, n) => [name, { n }])));
    expect(({} as Record<string, unknown>).n).toBeUndefined();
  });

  it('entryOrCreate creates once, under an inherited name too', () => {
    const store: Record<string, string[]> = {};
    entryOrCreate(store, 'constructor', () => []).push('a');
    entryOrCreate(store, 'constructor', () => []).push('b');
    entryOrCreate(store, '__proto__', () => []).push('c');
    expect(store.constructor).toEqual(['a', 'b']);
    expect(entryOf(store, '__proto__')).toEqual(['c']);
    expect(Array.prototype).not.toContain('c');
  });
});
