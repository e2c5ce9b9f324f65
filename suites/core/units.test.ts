/** The core's small rules, tested directly. */
import { describe, expect, it } from 'vitest';
import { loadContract } from '../../server/core/contract/load.ts';
import { Router } from '../../server/core/router/match.ts';
import { addDuration, clockNow, clockProblems, setClock } from '../../server/core/sandbox/clock.ts';
import { Journal } from '../../server/core/sandbox/journal.ts';
import { isSandboxId } from '../../server/core/sandbox/store.ts';

describe('sandbox clock', () => {
  it('adds ISO-8601 durations, months by the calendar', () => {
    const start = new Date('2024-01-31T10:00:00Z');
    expect(addDuration(start, 'P30D').toISOString()).toBe('2024-03-01T10:00:00.000Z');
    expect(addDuration(start, 'PT1H30M').toISOString()).toBe('2024-01-31T11:30:00.000Z');
    expect(addDuration(new Date('2024-01-15T00:00:00Z'), 'P1M').toISOString()).toBe('2024-02-15T00:00:00.000Z');
    expect(addDuration(start, 'P1Y2W').toISOString()).toBe('2025-02-14T10:00:00.000Z');
    expect(() => addDuration(start, '30 days')).toThrow(RangeError);
    expect(() => addDuration(start, 'P')).toThrow(RangeError);
    for (const junk of ['xP1D', 'P1Dx', '-P1D', 'P-1D', 'P1.5M', 'P1.5DT1H']) expect(() => addDuration(start, junk), junk).toThrow('Not an ISO-8601 duration');
    expect(addDuration(start, 'PT1.5S').toISOString()).toBe('2024-01-31T10:00:01.500Z');
  });

  it('runs with real time shifted by an offset, or stands frozen', () => {
    const real = Date.parse('2025-06-01T00:00:00Z');
    const shifted = setClock(new Date('2030-01-01T00:00:00Z'), false, real);
    expect(clockNow(shifted, real + 5000).toISOString()).toBe('2030-01-01T00:00:05.000Z');
    const frozen = setClock(new Date('2030-01-01T00:00:00Z'), true, real);
    expect(clockNow(frozen, real + 5000).toISOString()).toBe('2030-01-01T00:00:00.000Z');
    expect(clockNow(setClock(addDuration(clockNow(frozen, real), 'P1D'), true, real), real + 99).toISOString()).toBe('2030-01-02T00:00:00.000Z');
  });

  it('names what is wrong with a clock given whole, within the years 1000 to 9000', () => {
    const real = Date.parse('2025-06-01T00:00:00Z');
    expect(clockProblems({ offsetMs: 0, frozenAt: null }, real)).toEqual([]);
    expect(clockProblems({ offsetMs: 0, frozenAt: '9000-01-01T00:00:00Z' }, real)).toEqual([]);
    expect(clockProblems({ offsetMs: 0, frozenAt: '9000-01-01T00:00:00.001Z' }, real)).toEqual(['clock.frozenAt must be within the years 1000 to 9000']);
    expect(clockProblems({ offsetMs: Date.parse('1000-01-01T00:00:00Z') - real, frozenAt: null }, real)).toEqual([]);
    expect(clockProblems({ offsetMs: Date.parse('0999-12-31T00:00:00Z') - real, frozenAt: null }, real)).toHaveLength(1);
    expect(clockProblems({ offsetMs: 1e300, frozenAt: null }, real)).toEqual(['clock.offsetMs puts the clock outside the years 1000 to 9000']);
    expect(clockProblems({ offsetMs: -1e300, frozenAt: null }, real)).toHaveLength(1);
    expect(clockProblems({ offsetMs: '5', frozenAt: null }, real)).toEqual(['clock.offsetMs must be a finite number of milliseconds']);
    expect(clockProblems({ offsetMs: 0, frozenAt: 'soon' }, real)).toEqual(['clock.frozenAt must be an ISO-8601 date-time (2030-01-01T00:00:00Z) or null']);
    expect(clockProblems({ offsetMs: 0, frozenAt: '2030-02-30' }, real)).toHaveLength(1);
    expect(clockProblems({ offsetMs: 0, frozenAt: '+010000-01-01T00:00:00Z' }, real)).toHaveLength(1);
    expect(clockProblems({ offsetMs: 0, frozenAt: 20 }, real)).toHaveLength(1);
    expect(clockProblems({ offsetMs: 0 }, real)).toHaveLength(1);
    expect(clockProblems({ offsetMs: 0, frozenAt: null, speed: 2 }, real)).toEqual(['clock.speed is not a clock field (offsetMs, frozenAt)']);
    for (const value of [null, 'now', [], 5]) expect(clockProblems(value, real)).toHaveLength(1);
  });
});

describe('journal', () => {
  it('keeps only the last N entries, newest first', () => {
    const journal = new Journal(3);
    for (let i = 0; i < 5; i++)
      journal.add({ at: '', api: 'x', operationId: null, method: 'GET', path: `/${i}`, status: 200, durationMs: 0, validation: { request: [], response: [] } });
    expect(journal.size).toBe(3);
    expect(journal.last().map((e) => e.path)).toEqual(['/4', '/3', '/2']);
    expect(journal.last(1).map((e) => e.seq)).toEqual([5]);
  });
});

describe('router', () => {
  const router = new Router(loadContract('productive').operations);
  it('routes by the contract paths to operations, with raw path parameters', () => {
    expect(router.match('GET', '/api/v2/prices')).toMatchObject({ kind: 'operation', operation: { operationId: 'list_prices' } });
    expect(router.match('PATCH', '/api/v2/prices/12')).toMatchObject({ operation: { operationId: 'update_price' }, rawParams: { id: '12' } });
  });
  it('tells a wrong method from an unknown path, and is exact about trailing slashes', () => {
    expect(router.match('PUT', '/api/v2/prices/1')).toEqual({ kind: 'method-not-allowed', allowed: ['GET', 'DELETE', 'PATCH'] });
    expect(router.match('GET', '/api/v2/prices/')).toEqual({ kind: 'not-found' });
    expect(router.match('GET', '/api/v2/prices/1/x')).toEqual({ kind: 'not-found' });
  });
});

describe('router: a parameter glued to text', () => {
  const ops = [
    { method: 'get' as const, path: '/api/proxy/rules', id: 'list' },
    { method: 'get' as const, path: '/api/proxy/rules{rule}', id: 'detail' },
    { method: 'get' as const, path: '/api/v9/invoices/{invoice_id}.pdf', id: 'pdf' },
  ];
  const router = new Router(ops);
  it('matches a path of its own, slashes included, while the literal route keeps its path', () => {
    expect(router.match('GET', '/api/proxy/rules/app/')).toMatchObject({ operation: { id: 'detail' }, rawParams: { rule: '/app/' } });
    expect(router.match('GET', '/api/proxy/rules')).toMatchObject({ operation: { id: 'list' } });
  });
  it('keeps a parameter after a slash to one segment, with literal text after it', () => {
    expect(router.match('GET', '/api/v9/invoices/42.pdf')).toMatchObject({ operation: { id: 'pdf' }, rawParams: { invoice_id: '42' } });
    expect(router.match('GET', '/api/v9/invoices/a/b.pdf')).toEqual({ kind: 'not-found' });
  });
});

describe('sandbox ids', () => {
  it('are short names safe as file names', () => {
    expect(isSandboxId('ci-job_42.a')).toBe(true);
    for (const bad of ['', '../etc', 'a/b', '.hidden', 'x'.repeat(65)]) expect(isSandboxId(bad)).toBe(false);
  });
});
