import { describe, expect, it } from 'vitest';
import type { ApiError } from '../plugin.ts';
import { routeOf } from './route.ts';
import { testApi } from './test-api.ts';

const at = (url: string) => ({ path: url.split('?')[0]!, baseUrl: '/things', query: {}, url: `/things${url}` });

describe('the route stage', () => {
  const api = testApi();

  it("gives the contract's operation and the path's raw parameters", () => {
    expect(routeOf(api, 'GET', at('/things/7'))).toMatchObject({
      operation: { operationId: 'get_thing' },
      rawParams: { id: '7' },
    });
  });

  it('answers 404 for an unknown path and 405 with the allowed methods for another method', () => {
    expect(() => routeOf(api, 'GET', at('/nothing'))).toThrow(
      expect.objectContaining({ status: 404, body: expect.objectContaining({ kind: 'notFound', path: '/nothing' }) }),
    );
    expect(() => routeOf(api, 'DELETE', at('/things/7'))).toThrow(
      expect.objectContaining({ status: 405, body: expect.objectContaining({ allowed: ['GET', 'PUT'] }) }),
    );
  });

  it('redirects a path a Django backend serves with its slash: 301 for a read, 308 for a write, query kept', () => {
    const slashed = testApi({ trailingSlash: { redirect: ['/list/'] } });
    const redirect = (method: string, url: string) => {
      try {
        routeOf(slashed, method, at(url));
      } catch (error) {
        return error as ApiError;
      }
      throw new Error('no redirect');
    };
    expect(redirect('GET', '/list?a=1')).toMatchObject({ status: 301, headers: { Location: '/things/list/?a=1' } });
    expect(redirect('POST', '/list')).toMatchObject({ status: 308, headers: { Location: '/things/list/' } });
  });
});
