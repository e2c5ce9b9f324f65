import { describe, expect, it } from 'vitest';
import { setCartCookie } from '../apis/djaoapp/model/cart-cookie.ts';
import { isCrossSite } from './cors.ts';

describe('isCrossSite', () => {
  it('tells a page of another site from one of this site, ports aside', () => {
    expect(isCrossSite('http://localhost:5173', 'http://127.0.0.1:4010/djaoapp')).toBe(true);
    expect(isCrossSite('http://127.0.0.1:5173', 'http://localhost:4010/djaoapp')).toBe(true);
    expect(isCrossSite('http://app.example.test', 'http://mock.other.test/djaoapp')).toBe(true);
    expect(isCrossSite('http://localhost:5173', 'http://localhost:4010/djaoapp')).toBe(false);
    expect(isCrossSite('http://127.0.0.1:5173', 'http://127.0.0.1:4010/djaoapp')).toBe(false);
    expect(isCrossSite('https://app.example.test', 'http://mock.example.test/djaoapp')).toBe(false);
  });

  it('is false without an Origin, or with one that is not a URL', () => {
    for (const origin of [undefined, 'null', '', ['http://localhost']])
      expect(isCrossSite(origin, 'http://127.0.0.1:4010/djaoapp')).toBe(false);
  });
});

describe('the cart cookie for a page of another site', () => {
  it('is SameSite=None, Secure and Partitioned, so that the browser sends it back; clearing it matches', () => {
    const secret = new TextEncoder().encode('k');
    expect(
      setCartCookie([{ plan: 'basic', option: null, full_name: null, email: null, sync_on: null }], secret, true),
    ).toMatch(/^cart_items=[\w-]+\.[\w-]+; Max-Age=1209600; Path=\/; HttpOnly; Secure; Partitioned; SameSite=None$/);
    expect(setCartCookie([], secret, true)).toBe(
      'cart_items=; Max-Age=0; Path=/; HttpOnly; Secure; Partitioned; SameSite=None',
    );
  });
});
