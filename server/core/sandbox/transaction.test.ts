import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shallowCopy, share } from './shared.ts';
import { beginTransaction, rawOf } from './transaction.ts';
import { expectCopyOnWrite, jsonData } from './write-properties.ts';

interface Shop {
  prices: Record<string, { id: string; name: string; tags: string[]; meta?: { note: string } }>;
  list: Array<{ n: number }>;
  next: number;
  byId: Record<string, { v: number }>;
  sessions: Map<string, { user: string }>;
  seen: Set<string>;
}

function shop(): Shop {
  const byId = Object.create(null) as Record<string, { v: number }>;
  byId.a = { v: 1 };
  return {
    prices: { '1': { id: '1', name: 'one', tags: ['x', 'y'], meta: { note: 'n' } } },
    list: [{ n: 3 }, { n: 1 }, { n: 2 }],
    next: 2,
    byId,
    sessions: new Map([['s1', { user: 'xia' }]]),
    seen: new Set(['a']),
  };
}

/** The state as text, Map and Set included, to compare before and after. */
const text = (state: Shop) =>
  JSON.stringify(state, (_, v) => (v instanceof Map ? { map: [...v] } : v instanceof Set ? { set: [...v] } : v));

describe('transaction', () => {
  it('rolls back writes to records, arrays, null-prototype objects, Maps and Sets, last first', () => {
    const root = shop();
    const before = text(root);
    const price = root.prices['1']!;
    const tx = beginTransaction(root);
    const s = tx.state;
    s.prices[String(s.next++)] = { id: '2', name: 'two', tags: [] };
    s.prices['1']!.name = 'renamed';
    s.prices['1']!.tags.push('z');
    s.prices['1']!.tags.splice(0, 1);
    delete s.prices['1']!.meta;
    s.list.sort((a, b) => a.n - b.n);
    s.list.length = 0;
    s.byId.b = { v: 2 };
    delete s.byId.a;
    s.sessions.set('s2', { user: 'joe1' });
    s.sessions.get('s1')!.user = 'donny';
    s.sessions.delete('s1');
    s.seen.add('b');
    s.seen.clear();
    expect(text(root)).not.toBe(before);
    expect(tx.rollback()).toBeGreaterThan(0);
    expect(text(root)).toBe(before);
    expect(root.prices['1']).toBe(price);
    expect(Object.getPrototypeOf(root.byId)).toBe(null);
  });

  it('keeps the writes on commit and stores values, never views', () => {
    const root = shop();
    const tx = beginTransaction(root);
    const copy = { ...tx.state.prices['1']!, id: '2' };
    tx.state.prices['2'] = copy;
    tx.state.list.push(tx.state.list[0]!);
    tx.state.sessions.set('s3', tx.state.sessions.get('s1')!);
    expect(tx.commit()).toBe(4);
    expect(rawOf(tx.state)).toBe(root);
    // structuredClone refuses a Proxy anywhere in what it copies.
    expect(() => structuredClone(root)).not.toThrow();
    expect(root.prices['2']!.tags).toBe(root.prices['1']!.tags);
    expect(root.list[3]).toBe(root.list[0]);
  });

  it('shows the same view of an object from one transaction to the next', () => {
    const root = shop();
    const first = beginTransaction(root);
    const view = first.state.prices['1'];
    first.commit();
    const second = beginTransaction(root);
    expect(second.state).toBe(first.state);
    expect(second.state.prices['1']).toBe(view);
    second.commit();
  });

  it('fails a write before it happens when beforeWrite throws, and rolls back the ones before it', () => {
    const root = shop();
    const before = text(root);
    let writes = 0;
    const tx = beginTransaction(root, {
      beforeWrite: () => {
        if (++writes === 3) throw new Error('third write');
      },
    });
    tx.state.next = 10;
    tx.state.prices['1']!.name = 'x';
    expect(() => tx.state.list.push({ n: 9 })).toThrow('third write');
    expect(root.list).toHaveLength(3);
    tx.rollback();
    expect(text(root)).toBe(before);
  });

  it('leaves frozen objects and class instances as they are', () => {
    const frozen = Object.freeze({ a: 1 });
    const when = new Date(0);
    const tx = beginTransaction({ frozen, when });
    expect(tx.state.frozen).toBe(frozen);
    expect(tx.state.when.getTime()).toBe(0);
    tx.commit();
  });

  it('allows one open transaction per state', () => {
    const root = shop();
    const tx = beginTransaction(root);
    expect(() => beginTransaction(root)).toThrow(/already open/);
    tx.commit();
    expect(() => tx.rollback()).toThrow(/closed/);
    beginTransaction(root).commit();
  });

  it('restores any sequence of writes to JSON data (fast-check)', () => {
    fc.assert(
      fc.property(jsonData, writeOps, (generated, generatedOps) => {
        // fast-check shrinks from the values it generated: the run writes to copies.
        const [data, ops] = structuredClone([generated, generatedOps]);
        const before = JSON.stringify(data);
        const tx = beginTransaction(data as Record<string, unknown>);
        applyWrites(tx.state, ops);
        tx.rollback();
        expect(JSON.stringify(data)).toBe(before);
      }),
      { numRuns: 300, seed: 16 },
    );
  });
});

const writePath = fc.array(fc.constantFrom('a', 'b', 'c', '0', '1', '5', 'length'), { minLength: 1, maxLength: 3 });
const writeOps = fc.array(
  fc.oneof(
    fc.record({ kind: fc.constant('set' as const), path: writePath, value: fc.jsonValue({ maxDepth: 2 }) }),
    fc.record({ kind: fc.constant('delete' as const), path: writePath }),
    fc.record({ kind: fc.constant('push' as const), path: writePath, value: fc.jsonValue({ maxDepth: 1 }) }),
    fc.record({ kind: fc.constant('splice' as const), path: writePath, start: fc.nat(3), count: fc.nat(2) }),
    fc.record({ kind: fc.constant('reverse' as const), path: writePath }),
  ),
  { maxLength: 20 },
);
type WriteOp = typeof writeOps extends fc.Arbitrary<Array<infer T>> ? T : never;

/** Makes each write at its path of `state` (one whose path leads nowhere is skipped). */
function applyWrites(state: unknown, ops: WriteOp[]): void {
  for (const o of ops) {
    let node: unknown = state;
    for (const key of o.path.slice(0, -1))
      node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined;
    if (typeof node !== 'object' || node === null) continue;
    const last = o.path[o.path.length - 1]!;
    const target = node as Record<string, unknown>;
    try {
      if (o.kind === 'set') target[last] = o.value;
      else if (o.kind === 'delete') delete target[last];
      else if (Array.isArray(target[last])) {
        const list = target[last] as unknown[];
        if (o.kind === 'push') list.push(o.value);
        else if (o.kind === 'splice') list.splice(o.start, o.count);
        else list.reverse();
      }
    } catch {
      // an invalid array length: the write is refused, as on the object itself
    }
  }
}

describe('transaction over shared data (copy-on-write)', () => {
  function fixtures() {
    return share({
      prices: { '1': { id: '1', name: 'one', tags: ['x', 'y'] }, '2': { id: '2', name: 'two', tags: [] } },
      list: [{ n: 3 }, { n: 1 }, { n: 2 }],
      settings: { currency: 'EUR', limits: { seats: 5 } },
    });
  }

  it('writes what any sequence of writes writes to a copy, and never the shared data (fast-check)', () => {
    fc.assert(
      fc.property(jsonData, writeOps, fc.boolean(), (generated, ops, keep) => {
        const model = structuredClone(generated);
        applyWrites(model, structuredClone(ops));
        expectCopyOnWrite(generated, model, keep, (root) => {
          const tx = beginTransaction(root);
          applyWrites(tx.state, structuredClone(ops));
          return tx;
        });
      }),
      { numRuns: 300, seed: 21 },
    );
  });

  it('copies the objects from the root to the one written; the others stay shared', () => {
    const shared = fixtures();
    const root = shallowCopy(shared);
    const tx = beginTransaction(root);
    tx.state.prices['1']!.tags.push('z');
    tx.commit();
    expect(root.prices['1']!.tags).toEqual(['x', 'y', 'z']);
    expect(shared.prices['1']!.tags).toEqual(['x', 'y']);
    expect(root.prices).not.toBe(shared.prices);
    expect(root.prices['2']).toBe(shared.prices['2']);
    expect(root.list).toBe(shared.list);
    expect(root.settings).toBe(shared.settings);
    expect(Object.isFrozen(root.prices['1'])).toBe(false);
  });

  it("never lets two states over the same shared data see each other's writes", () => {
    const shared = fixtures();
    const [a, b] = [shallowCopy(shared), shallowCopy(shared)];
    const ta = beginTransaction(a);
    const tb = beginTransaction(b);
    ta.state.settings.limits.seats = 9;
    ta.state.list.sort((x, y) => x.n - y.n);
    tb.state.settings.currency = 'USD';
    delete (tb.state.prices as Record<string, unknown>)['2'];
    ta.commit();
    tb.commit();
    expect(a.settings).toEqual({ currency: 'EUR', limits: { seats: 9 } });
    expect(a.list.map((x) => x.n)).toEqual([1, 2, 3]);
    expect(Object.keys(a.prices)).toEqual(['1', '2']);
    expect(b.settings).toEqual({ currency: 'USD', limits: { seats: 5 } });
    expect(b.list.map((x) => x.n)).toEqual([3, 1, 2]);
    expect(Object.keys(b.prices)).toEqual(['1']);
    expect(JSON.stringify(shared)).toBe(JSON.stringify(fixtures()));
  });

  it('rolls back a failed write to shared data, and keeps the same views afterwards', () => {
    const shared = fixtures();
    const root = shallowCopy(shared);
    const first = beginTransaction(root);
    const price = first.state.prices['1']!;
    price.name = 'renamed';
    price.tags.length = 0;
    first.rollback();
    expect(JSON.stringify(root)).toBe(JSON.stringify(shared));
    expect(shared.prices['1']!.name).toBe('one');
    const second = beginTransaction(root);
    expect(second.state.prices['1']).toBe(price);
    price.name = 'kept';
    second.commit();
    expect(root.prices['1']!.name).toBe('kept');
    expect(rawOf(price)).toBe(root.prices['1']);
    expect(shared.prices['1']!.name).toBe('one');
  });

  it('shows shared arrays and records as arrays and records', () => {
    const root = shallowCopy(fixtures());
    const tx = beginTransaction(root);
    const { list, prices } = tx.state;
    expect(Array.isArray(list)).toBe(true);
    expect(JSON.stringify(list)).toBe('[{"n":3},{"n":1},{"n":2}]');
    expect(Object.keys(prices)).toEqual(['1', '2']);
    expect({ ...prices['2'] }).toEqual({ id: '2', name: 'two', tags: [] });
    expect('1' in prices).toBe(true);
    expect(list.map((x) => x.n)).toEqual([3, 1, 2]);
    list.splice(1, 1, { n: 7 });
    expect(list.map((x) => x.n)).toEqual([3, 7, 2]);
    expect(list).toHaveLength(3);
    tx.commit();
  });

  it('copies a shared record a Map of the state holds when it is written', () => {
    const shared = fixtures();
    const sessions = new Map([['s1', shared.prices['1']!]]);
    const root = { sessions };
    const tx = beginTransaction(root);
    tx.state.sessions.get('s1')!.name = 'through the map';
    for (const [, value] of tx.state.sessions) value.tags.push('iterated');
    tx.commit();
    expect(sessions.get('s1')).toEqual({ id: '1', name: 'through the map', tags: ['x', 'y', 'iterated'] });
    expect(shared.prices['1']).toEqual({ id: '1', name: 'one', tags: ['x', 'y'] });
  });

  it('stores a shared object moved elsewhere as itself, and copies it where it is written', () => {
    const shared = fixtures();
    type Price = (typeof shared.prices)['2'];
    const root: typeof shared & { archived?: { price: Price } } = shallowCopy(shared);
    const tx = beginTransaction(root);
    tx.state.archived = { price: tx.state.prices['2'] };
    tx.state.archived.price.name = 'archived';
    tx.commit();
    expect(root.archived!.price.name).toBe('archived');
    expect(root.prices['2'].name).toBe('two');
    expect(shared.prices['2']!.name).toBe('two');
  });
});
