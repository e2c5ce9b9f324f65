import { describe, expect, it } from 'vitest';
import { copyAtRest, jsonText, renderedOnce } from './json-text.ts';
import { share } from './sandbox/shared.ts';
import { beginTransaction } from './sandbox/transaction.ts';

describe('jsonText', () => {
  it('writes what JSON.stringify writes, whatever the value', () => {
    const nullProto = Object.assign(Object.create(null), { a: 1 });
    const sparse: number[] = [];
    sparse[1] = 1;
    const values: unknown[] = [
      null,
      'text "quoted"\n',
      42,
      [1, undefined, () => 1, { b: undefined, c: [null] }],
      { when: new Date(0), skip: undefined, fn: () => 1, nested: { deeper: { deepest: [1, { x: '\u2028' }] } } },
      { data: nullProto, map: new Map([[1, 2]]), sparse },
      { 'key "with" quotes': true, é: 'ü' },
    ];
    for (const value of values) expect(jsonText(value)).toBe(JSON.stringify(value));
  });
});

describe('renderedOnce', () => {
  const counted = () => {
    let calls = 0;
    const render = renderedOnce((record: { id: string; name: string }, prefix: string) => {
      calls++;
      return { id: record.id, attributes: { name: `${prefix}${record.name}` } };
    });
    return { render, calls: () => calls };
  };

  it('renders a record at rest once, frozen, and jsonText writes it as JSON.stringify would', () => {
    const { render, calls } = counted();
    const record = share({ id: '1', name: 'Hourly' });
    const first = render(record, '» ');
    expect(render(record, '» ')).toBe(first);
    expect(calls()).toBe(1);
    expect(Object.isFrozen(first.attributes)).toBe(true);
    const document = { data: [first, first], meta: { count: 2 } };
    expect(jsonText(document)).toBe(JSON.stringify(document));
  });

  it('renders again when the context differs or the record is not at rest', () => {
    const { render, calls } = counted();
    const record = share({ id: '1', name: 'Hourly' });
    expect(render(record, 'a ').attributes.name).toBe('a Hourly');
    expect(render(record, 'b ').attributes.name).toBe('b Hourly');
    const written = { id: '2', name: 'Fixed' };
    render(written, '');
    written.name = 'Fixed fee';
    expect(render(written, '').attributes.name).toBe('Fixed fee');
    expect(calls()).toBe(4);
  });

  it('sees through a transaction: a shared record read is the one kept, its copy once written is rendered anew', () => {
    const { render, calls } = counted();
    const root = { prices: share({ a: { id: 'a', name: 'Day rate' } }) };
    const before = render(root.prices.a, '');
    const transaction = beginTransaction(root);
    expect(render(transaction.state.prices.a, '')).toBe(before);
    transaction.state.prices.a.name = 'Night rate';
    expect(render(transaction.state.prices.a, '').attributes.name).toBe('Night rate');
    transaction.commit();
    expect(calls()).toBe(2);
  });

  it('keeps the text of state at rest it meets, and writes the same bytes again', () => {
    const organization = share({ features: { budgets: true }, settings: { locale: 'en' } });
    const document = { meta: { page: 1, organization } };
    expect(jsonText(document)).toBe(JSON.stringify(document));
    expect(jsonText(document)).toBe(JSON.stringify(document));
  });
});

describe('copyAtRest', () => {
  const price = share({ id: '1', attributes: { name: 'Hourly', rate: 100 } });

  it('copies the objects jsonText walks, shares the rest, and writes as the value did', () => {
    const body = { data: [price, price], meta: { count: 2, skip: undefined, at: null }, links: ['a', undefined] };
    const kept = copyAtRest(body)!;
    expect(jsonText(kept.copy)).toBe(JSON.stringify(body));
    body.data.push(price);
    body.meta.count = 3;
    expect((kept.copy as typeof body).data[0]).toBe(price);
    expect(jsonText(kept.copy)).toBe(
      JSON.stringify({ data: [price, price], meta: { count: 2, at: null }, links: ['a', null] }),
    );
    const keyed = JSON.parse('{"__proto__":{"x":1},"constructor":2}');
    expect(jsonText(copyAtRest(keyed)!.copy)).toBe(JSON.stringify(keyed));
  });

  it('makes none of a value holding what may still change, or what serialises itself', () => {
    const record = { id: '2', attributes: { name: 'Fixed' } };
    expect(copyAtRest({ data: record })).toBeUndefined();
    expect(copyAtRest({ data: [record] })).toBeUndefined();
    expect(copyAtRest({ at: new Date(0) })).toBeUndefined();
    expect(copyAtRest({ data: share(record), count: 1 })).toBeDefined();
  });
});
