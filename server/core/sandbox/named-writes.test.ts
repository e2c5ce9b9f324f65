import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { beginNamedWrites, refusingWriter, type StatePath, writerThrough } from './named-writes.ts';
import { shallowCopy, share } from './shared.ts';
import { beginTransaction } from './transaction.ts';
import { expectCopyOnWrite, jsonData } from './write-properties.ts';

interface Shop {
  next: number;
  prices: Record<string, { id: string; name: string; tags: string[] }>;
  settings: { currency: string; limits: { seats: number } };
}

function fixtures(): Shop {
  return share({
    next: 3,
    prices: { '1': { id: '1', name: 'one', tags: ['x', 'y'] }, '2': { id: '2', name: 'two', tags: [] } },
    settings: { currency: 'EUR', limits: { seats: 5 } },
  });
}

type Data = Record<string, unknown>;
const isObject = (value: unknown): value is Data => typeof value === 'object' && value !== null;

const writePath = fc.array(fc.constantFrom('a', 'b', 'c', '0', '1', '5', '__proto__'), { minLength: 1, maxLength: 3 });
const writeOps = fc.array(
  fc.oneof(
    fc.record({ kind: fc.constant('set' as const), path: writePath, value: fc.jsonValue({ maxDepth: 2 }) }),
    fc.record({ kind: fc.constant('remove' as const), path: writePath }),
  ),
  { maxLength: 20 },
);
type WriteOp = typeof writeOps extends fc.Arbitrary<Array<infer T>> ? T : never;

/**
 * The model: each write made on plain data, as set and remove are documented to make it (a path through something
 * that is not an object, a non-index key of an array and an array element removed are refused).
 */
function applyToModel(data: Data, ops: WriteOp[]): void {
  for (const o of ops) {
    let node: unknown = data;
    for (const key of o.path.slice(0, -1)) node = isObject(node) && Object.hasOwn(node, key) ? node[key] : undefined;
    if (!isObject(node)) continue;
    const key = o.path[o.path.length - 1]!;
    if (Array.isArray(node) && (o.kind === 'remove' ? Object.hasOwn(node, key) : !/^(0|[1-9]\d*)$/.test(key))) continue;
    if (o.kind === 'set')
      Object.defineProperty(node, key, { value: o.value, enumerable: true, writable: true, configurable: true });
    else delete node[key];
  }
}

/** The same writes through `set` and `remove`; those refused throw a TypeError and change nothing. */
function applyNamed(
  write: { set(path: StatePath, value: unknown): void; remove(path: StatePath): void },
  ops: WriteOp[],
) {
  for (const o of ops) {
    try {
      if (o.kind === 'set') write.set(o.path, o.value);
      else write.remove(o.path);
    } catch (error) {
      if (!(error instanceof TypeError)) throw error;
    }
  }
}

const pathWriter = (writer: unknown) => writer as Parameters<typeof applyNamed>[0];

describe('named writes', () => {
  it('write what the same writes write to plain data, and roll back to the same bytes (fast-check)', () => {
    fc.assert(
      fc.property(jsonData, writeOps, fc.boolean(), (generated, generatedOps, keep) => {
        const [data, ops] = structuredClone([generated, generatedOps]);
        const before = JSON.stringify(data);
        const model = structuredClone(generated);
        applyToModel(model, ops);
        const writes = beginNamedWrites(data);
        applyNamed(pathWriter(writes.writer()), ops);
        if (keep) writes.commit();
        else writes.rollback();
        expect(JSON.stringify(data)).toBe(keep ? JSON.stringify(model) : before);
      }),
      { numRuns: 400, seed: 12 },
    );
  });

  it('over shared data, write to copies of the objects on the paths written and never to the shared data (fast-check)', () => {
    fc.assert(
      fc.property(jsonData, writeOps, fc.boolean(), (generated, ops, keep) => {
        const model = structuredClone(generated);
        applyToModel(model, ops);
        expectCopyOnWrite(generated, model, keep, (root) => {
          const writes = beginNamedWrites(root);
          applyNamed(pathWriter(writes.writer()), ops);
          return writes;
        });
      }),
      { numRuns: 400, seed: 34 },
    );
  });

  it('copy the shared objects from the root to the one written; the others stay shared', () => {
    const shared = fixtures();
    const root = shallowCopy(shared);
    const writes = beginNamedWrites(root);
    writes.writer().set(['prices', '1', 'name'], 'renamed');
    writes.writer().set(['next'], 4);
    expect(writes.commit()).toBe(2);
    expect(root.prices['1']).toEqual({ id: '1', name: 'renamed', tags: ['x', 'y'] });
    expect(shared.prices['1']!.name).toBe('one');
    expect(root.prices).not.toBe(shared.prices);
    expect(root.prices['1']!.tags).toBe(shared.prices['1']!.tags);
    expect(root.prices['2']).toBe(shared.prices['2']);
    expect(root.settings).toBe(shared.settings);
    expect(root.next).toBe(4);
  });

  it('roll back every write, last first, with removed keys back in their place', () => {
    const root = shallowCopy(fixtures());
    const before = JSON.stringify(root);
    const writes = beginNamedWrites(root);
    const write = writes.writer();
    write.remove(['settings', 'currency']);
    write.set(['prices', '3'], { id: '3', name: 'three', tags: [] });
    write.set(['settings', 'currency'], 'USD');
    write.set(['settings', 'limits', 'seats'], 9);
    write.set(['next'], 4);
    expect(Object.keys(root.settings)).toEqual(['limits', 'currency']);
    expect(writes.rollback()).toBe(4);
    expect(JSON.stringify(root)).toBe(before);
  });

  it('store "__proto__" as an own entry, never as the prototype', () => {
    const root = { byId: {} as Record<string, { v: number }> };
    const writes = beginNamedWrites(root);
    writes.writer().set(['byId', '__proto__'], { v: 1 });
    expect(Object.hasOwn(root.byId, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(root.byId)).toBe(Object.prototype);
    writes.rollback();
    expect(Object.hasOwn(root.byId, '__proto__')).toBe(false);
  });

  it('fail a write before it happens when beforeWrite throws, leaving the earlier ones to the rollback', () => {
    const root = shallowCopy(fixtures());
    const before = JSON.stringify(root);
    let count = 0;
    const writes = beginNamedWrites(root, {
      beforeWrite: () => {
        if (++count === 2) throw new Error('injected');
      },
    });
    writes.writer().set(['next'], 4);
    expect(() => writes.writer().remove(['prices', '2'])).toThrow('injected');
    expect(root.prices['2']).toBeDefined();
    writes.rollback();
    expect(JSON.stringify(root)).toBe(before);
  });

  it('refuse a path through something that is not an object, copying nothing, and a write after the end', () => {
    const shared = fixtures();
    const root = shallowCopy(shared);
    const writes = beginNamedWrites(root);
    expect(() => writes.writer().set(['prices', '9', 'name'], 'x')).toThrow(TypeError);
    expect(() => pathWriter(writes.writer()).set(['prices', '1', 'tags', 'first'], 'x')).toThrow(TypeError);
    writes.writer().remove(['prices', '9']);
    expect(writes.commit()).toBe(0);
    expect(() => writes.writer().set(['next'], 5)).toThrow('closed');
    expect(root.prices).toBe(shared.prices);
  });

  it('under directWrite, show the state through views that refuse a write in place, and store plain values', () => {
    const root = shallowCopy(fixtures());
    const before = JSON.stringify(root);
    const writes = beginNamedWrites(root, { directWrite: () => new Error('written in place') });
    const view = writes.state;
    expect(() => {
      view.settings.limits.seats = 1;
    }).toThrow('written in place');
    expect(() => {
      view.next = 9;
    }).toThrow('written in place');
    expect(JSON.stringify(root)).toBe(before);
    writes.writer().set(['prices', '3'], { ...view.prices['1']!, id: '3' });
    expect(writes.commit()).toBe(1);
    expect(root.prices['3']!.tags).toBe(root.prices['1']!.tags);
    expect(() => structuredClone(root)).not.toThrow();
  });
});

describe('the other writers', () => {
  it('writerThrough writes through a transaction view, which records the writes for its rollback', () => {
    const root = shallowCopy(fixtures());
    const before = JSON.stringify(root);
    const tx = beginTransaction(root);
    const write = writerThrough(tx.state);
    write.set(['settings', 'currency'], 'USD');
    write.remove(['prices', '1']);
    expect(root.settings.currency).toBe('USD');
    expect(tx.writes).toBe(2);
    tx.rollback();
    expect(JSON.stringify(root)).toBe(before);
  });

  it('refusingWriter refuses every write with its error', () => {
    const write = refusingWriter<Shop>(() => new Error('no writes here'));
    expect(() => write.set(['next'], 1)).toThrow('no writes here');
    expect(() => write.remove(['prices', '1'])).toThrow('no writes here');
  });
});
