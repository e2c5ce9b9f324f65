/** `standin record` keeps what the replay needs and nothing secret or volatile. */
import { describe, expect, it } from 'vitest';
import { sanitise } from '../../scripts/record.ts';
import type { RecordedExchange } from '../../server/core/proxy/replay.ts';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJ1c2VybmFtZSI6ImRvbm55In0.c2lnbmF0dXJlLW9mLXRoZS1iYWNrZW5k';
const exchange = (over: Partial<RecordedExchange> & { answer?: unknown; html?: string }): RecordedExchange => {
  const { answer, html, ...rest } = over;
  return {
    api: 'djaoapp',
    operationId: 'plans_list',
    method: 'GET',
    url: '/api/profile/cowork/plans/',
    requestHeaders: {},
    requestBody: '',
    status: 200,
    headers: {
      'content-type': html ? 'text/html; charset=utf-8' : 'application/json',
      'set-cookie': 'sessionid=secret',
    },
    body: Buffer.from(html ?? JSON.stringify(answer ?? {})).toString('base64'),
    ...rest,
  };
};

describe('standin record: what a committed exchange keeps', () => {
  const raw = [
    exchange({
      operationId: 'auth_login',
      method: 'POST',
      url: '/api/auth/',
      requestHeaders: { 'content-type': 'application/json' },
      requestBody: '{"username":"donny","password":"yoyo"}',
      status: 201,
      answer: { token: TOKEN },
    }),
    exchange({
      requestHeaders: { authorization: `Bearer ${TOKEN}`, cookie: 'cart_items=abc; csrftoken=def' },
      answer: { count: 1, results: [{ slug: 'open-space', created_at: '2026-12-03T10:00:00Z' }] },
    }),
    exchange({
      requestHeaders: { authorization: 'Bearer not-a-token' },
      status: 401,
      answer: { detail: 'Invalid token.' },
    }),
    exchange({
      method: 'POST',
      requestHeaders: { 'content-type': 'application/json' },
      requestBody: '["donny","yoyo"]',
      status: 403,
      html: '<html><title>403 Forbidden</title></html>',
    }),
    exchange({
      operationId: 'users_list',
      url: '/api/users/',
      status: 404,
      html: '<html><title>Page not found at /api/users/</title></html>',
    }),
    exchange({ operationId: 'auth_register', url: '/api/auth/register/', status: 500 }),
    exchange({ operationId: null, url: '/favicon.ico', status: 404 }),
  ];
  const { kept, left } = sanitise(
    raw,
    new Set(['yoyo']),
    [{ status: 404, mediaType: 'text/html', title: 'Page not found at <path>' }],
    new Set(['auth_register']),
  );

  it('masks passwords and tokens, names the signed-in user, keeps cookie names only', () => {
    expect(kept[0]).toEqual({
      operationId: 'auth_login',
      method: 'POST',
      path: '/api/auth/',
      status: 201,
      mediaType: 'application/json',
      contentType: 'application/json',
      body: { username: 'donny', password: '<password>' },
      shape: '{token:string}',
    });
    expect(kept[1]).toEqual({
      operationId: 'plans_list',
      method: 'GET',
      path: '/api/profile/cowork/plans/',
      status: 200,
      mediaType: 'application/json',
      auth: 'donny',
      cookies: ['cart_items', 'csrftoken'],
      shape: '{count:number,results:[{created_at:string,slug:string}]}',
    });
    expect(kept[2]).toMatchObject({ auth: 'invalid', status: 401, value: { detail: 'Invalid token.' } });
    expect(JSON.stringify(kept)).not.toMatch(/yoyo|eyJ|secret|abc|def/);
  });

  it('summarises a page that is not JSON and leaves out what the backend does not serve', () => {
    expect(kept[3]).toMatchObject({
      body: ['donny', '<password>'],
      status: 403,
      mediaType: 'text/html',
      page: { mediaType: 'text/html', title: '403 Forbidden' },
    });
    expect(kept[3]!.shape).toBeUndefined();
    expect(kept).toHaveLength(4);
    expect(left).toEqual({ notServed: 2, unrouted: 1 });
  });
});
