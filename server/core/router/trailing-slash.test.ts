import { describe, expect, it } from 'vitest';
import { Router } from './match.ts';
import { matchTrailingSlash } from './trailing-slash.ts';

describe("a Django backend's trailing slashes", () => {
  const router = new Router([
    { method: 'get' as const, path: '/api/billing/{organization}/coupons/', id: 'coupons' },
    { method: 'post' as const, path: '/api/billing/{organization}/coupons/', id: 'coupons_create' },
    { method: 'get' as const, path: '/api/pricing/', id: 'pricing' },
    { method: 'get' as const, path: '/api/proxy/rules{rule}', id: 'rule' },
  ]);
  const slash = { redirect: ['/api/pricing/'] };

  it('serves a path without its slash as the operation it has with it', () => {
    expect(matchTrailingSlash(router, 'GET', '/api/billing/cowork/coupons', slash)).toMatchObject({
      operation: { id: 'coupons' },
      rawParams: { organization: 'cowork' },
    });
    expect(matchTrailingSlash(router, 'POST', '/api/billing/cowork/coupons', slash)).toMatchObject({
      operation: { id: 'coupons_create' },
    });
  });

  it('redirects a listed path, whatever the method, to the path with its slash', () => {
    expect(matchTrailingSlash(router, 'GET', '/api/pricing', slash)).toEqual({
      kind: 'redirect',
      location: '/api/pricing/',
    });
    expect(matchTrailingSlash(router, 'POST', '/api/pricing', slash)).toEqual({
      kind: 'redirect',
      location: '/api/pricing/',
    });
  });

  it('answers what the path with its slash answers for a method it lacks, and not-found where neither form exists', () => {
    expect(matchTrailingSlash(router, 'DELETE', '/api/billing/cowork/coupons', slash)).toEqual({
      kind: 'method-not-allowed',
      allowed: ['GET', 'POST'],
    });
    expect(matchTrailingSlash(router, 'GET', '/api/billing/cowork/nothing', slash)).toEqual({ kind: 'not-found' });
  });

  it('leaves a path that routes as written alone', () => {
    expect(matchTrailingSlash(router, 'GET', '/api/proxy/rules/app', slash)).toMatchObject({
      operation: { id: 'rule' },
      rawParams: { rule: '/app' },
    });
  });
});
