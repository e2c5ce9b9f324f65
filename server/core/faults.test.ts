/** Fault rules and the X-Standin-Fault header, parsed and matched directly. */
import { describe, expect, it } from 'vitest';
import { FaultError, FaultStore, parseFaultHeader } from './faults.ts';

describe('the X-Standin-Fault header', () => {
  it('parses status, latency ranges, retry-after, reset, probability and message', () => {
    expect(parseFaultHeader('status=500')).toEqual({ status: 500 });
    expect(parseFaultHeader('latency=200-800')).toEqual({ latencyMs: [200, 800] });
    expect(parseFaultHeader('latency=150')).toEqual({ latencyMs: 150 });
    expect(parseFaultHeader('status=429;retry-after=3')).toEqual({ status: 429, retryAfter: 3 });
    expect(parseFaultHeader('reset')).toEqual({ reset: true });
    expect(parseFaultHeader('status=503; probability=0.5; message=Down')).toEqual({
      status: 503,
      probability: 0.5,
      message: 'Down',
    });
  });

  it('refuses what it cannot do, naming it', () => {
    expect(() => parseFaultHeader('status=200')).toThrow(/400 to 599/);
    expect(() => parseFaultHeader('latency=800-200')).toThrow(FaultError);
    expect(() => parseFaultHeader('probability=2;status=500')).toThrow(/probability/);
    expect(() => parseFaultHeader('boom')).toThrow(/unknown item "boom"/);
    expect(() => parseFaultHeader('status=500;reset')).toThrow(/not both/);
    expect(() => parseFaultHeader('probability=0.5')).toThrow(/needs latencyMs, status or reset/);
  });
});

describe('fault rules', () => {
  it('match by API and operation, in order, with their probability', () => {
    let draw = 0.7;
    const store = new FaultStore(new Map([['productive', new Set(['list_prices', 'get_price'])]]), () => draw);
    const rare = store.add('s', { operationId: 'get_price', status: 500, probability: 0.5 });
    store.add('s', { api: 'productive', latencyMs: 10 });
    expect(store.decide('s', 'productive', 'get_price', undefined)?.marker).toEqual({
      source: expect.not.stringMatching(rare.id),
      latencyMs: 10,
    });
    draw = 0.2;
    expect(store.decide('s', 'productive', 'get_price', undefined)?.marker).toEqual({ source: rare.id, status: 500 });
    expect(store.decide('other', 'productive', 'get_price', undefined)).toBeUndefined();
    expect(store.list('s')[0]!.hits).toBe(1);
    expect(() => store.add('s', { operationId: 'nope', status: 500 })).toThrow(/no operation nope/);
    expect(() => store.add('s', { api: 'stripe', status: 500 })).toThrow(/api must be one of productive/);
    expect(() => store.add('s', { status: 500, colour: 'red' })).toThrow(/unknown field colour/);
    expect(store.remove('s', rare.id)).toBe(true);
    expect(store.clear('s')).toBe(1);
  });
});
