import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { routeOf } from './route.ts';
import { testApi } from './test-api.ts';
import { validated } from './validate.ts';

const api = testApi();
const put = (body: string) => {
  const at = { path: '/things/12', baseUrl: '/things', query: {}, url: '/things/things/12' };
  const req = { headers: { 'content-type': 'application/json' } } as IncomingMessage;
  return validated(api, routeOf(api, 'PUT', at), req, at, Buffer.from(body));
};

describe('the validate stage', () => {
  it('gives the handler its parameters coerced to the contract and its body parsed', () => {
    expect(put('{"name":"twelve"}')).toMatchObject({ problems: [], params: { id: 12 }, body: { name: 'twelve' } });
  });

  it('names what breaks the contract', () => {
    expect(put('{"name":12}').problems).toEqual([
      expect.objectContaining({ in: 'body', pointer: '/name', keyword: 'type' }),
    ]);
  });
});
