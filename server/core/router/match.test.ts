/** Routing a request to the contract's operation by method and path. */
import { describe, expect, it } from 'vitest';
import { loadContract } from '../contract/load.ts';
import { Router } from './match.ts';

describe('router', () => {
  const router = new Router(loadContract('productive').operations);
  it('routes by the contract paths to operations, with raw path parameters', () => {
    expect(router.match('GET', '/api/v2/prices')).toMatchObject({
      kind: 'operation',
      operation: { operationId: 'list_prices' },
    });
    expect(router.match('PATCH', '/api/v2/prices/12')).toMatchObject({
      operation: { operationId: 'update_price' },
      rawParams: { id: '12' },
    });
  });
  it('tells a wrong method from an unknown path, and is exact about trailing slashes', () => {
    expect(router.match('PUT', '/api/v2/prices/1')).toEqual({
      kind: 'method-not-allowed',
      allowed: ['GET', 'DELETE', 'PATCH'],
    });
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
    expect(router.match('GET', '/api/proxy/rules/app/')).toMatchObject({
      operation: { id: 'detail' },
      rawParams: { rule: '/app/' },
    });
    expect(router.match('GET', '/api/proxy/rules')).toMatchObject({ operation: { id: 'list' } });
  });
  it('keeps a parameter after a slash to one segment, with literal text after it', () => {
    expect(router.match('GET', '/api/v9/invoices/42.pdf')).toMatchObject({
      operation: { id: 'pdf' },
      rawParams: { invoice_id: '42' },
    });
    expect(router.match('GET', '/api/v9/invoices/a/b.pdf')).toEqual({ kind: 'not-found' });
  });
});
