import { describe, expect, it } from 'vitest';
import { listRecords, outlineOf, readRecord, withRecord } from './state-browser.ts';

const schema = {
  $ref: '#/definitions/State',
  definitions: {
    State: {
      type: 'object',
      properties: {
        site: { $ref: '#/definitions/Site' },
        secret: { type: 'string', standinHidden: true },
        users: { type: 'array', items: { $ref: '#/definitions/User' }, standinKey: 'slug' },
        notes: { type: 'array', items: { type: 'string' } },
        accounts: {
          type: 'object',
          additionalProperties: { type: 'object', additionalProperties: { $ref: '#/definitions/User' } },
          standinMain: true,
        },
      },
    },
    Site: { type: 'object', properties: { name: { type: 'string' }, key: { type: 'string', standinHidden: true } } },
    User: {
      type: 'object',
      properties: { slug: { type: 'string' }, password: { type: 'string', standinHidden: true } },
    },
  },
};

const state = () => ({
  site: { name: 'cowork', key: 'k' },
  secret: 's',
  users: [
    { slug: 'donny', password: 'p1' },
    { slug: 'alice', password: 'p2' },
  ],
  notes: ['a', 'b'],
  accounts: { t1: { A1: { slug: 'A1', password: 'p3' } } },
});

describe('outlineOf', () => {
  it('reads collections, values, the main collection, keys and hidden fields from the schema marks', () => {
    const outline = outlineOf(schema);
    expect(outline.main).toBe('accounts');
    expect(outline.values).toEqual([{ name: 'site', hiddenFields: ['key'] }]);
    expect(outline.collections).toEqual([
      { name: 'users', kind: 'list', grouped: false, key: 'slug', hiddenFields: ['password'] },
      { name: 'notes', kind: 'list', grouped: false, hiddenFields: [] },
      { name: 'accounts', kind: 'map', grouped: true, hiddenFields: ['password'] },
    ]);
  });

  it('opens on the first collection when none is marked main', () => {
    expect(outlineOf({ type: 'object', properties: { a: { type: 'array', items: {} } } }).main).toBe('a');
  });
});

describe('records', () => {
  const [users, notes, accounts] = outlineOf(schema).collections as [never, never, never];

  it('are named by their key field, their index, or group and key', () => {
    expect(listRecords(state(), users)).toEqual([
      { id: 'donny', path: ['donny'], record: { slug: 'donny' } },
      { id: 'alice', path: ['alice'], record: { slug: 'alice' } },
    ]);
    expect(listRecords(state(), notes).map((r) => r.id)).toEqual(['0', '1']);
    expect(listRecords(state(), accounts)).toEqual([{ id: 't1/A1', path: ['t1', 'A1'], record: { slug: 'A1' } }]);
    expect(readRecord(state(), notes, ['1'])).toBe('b');
    for (const path of [['2'], ['01x'], ['toString']])
      expect(() => readRecord(state(), notes, path)).toThrow(/no record/);
    expect(() => readRecord(state(), accounts, ['t1', 'constructor'])).toThrow(/no record/);
    expect(() => readRecord(state(), accounts, ['A1'])).toThrow(/no record/);
  });

  it('are replaced with their hidden fields kept, or removed, on a copy', () => {
    const before = state();
    const changed = withRecord(before, users, ['alice'], { slug: 'alicia' }) as ReturnType<typeof state>;
    expect(changed.users[1]).toEqual({ slug: 'alicia', password: 'p2' });
    expect(before).toEqual(state());
    expect(() => withRecord(before, users, ['alice'], { slug: 'a', password: 'x' })).toThrow(/password: hidden/);
    const removed = withRecord(before, accounts, ['t1', 'A1']) as ReturnType<typeof state>;
    expect(removed.accounts.t1).toEqual({});
    const named = { accounts: { t1: JSON.parse('{"__proto__": {"slug": "p"}}') } };
    const replaced = withRecord(named, accounts, ['t1', '__proto__'], { slug: 'q' }) as typeof named;
    expect(Object.getOwnPropertyDescriptor(replaced.accounts.t1, '__proto__')?.value).toEqual({ slug: 'q' });
    expect(Object.getPrototypeOf(replaced.accounts.t1)).toBe(Object.prototype);
  });
});
