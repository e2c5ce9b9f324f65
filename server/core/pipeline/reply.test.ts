import type { ServerResponse } from 'node:http';
import { describe, expect, it, vi } from 'vitest';
import { isOffContract } from '../errors.ts';
import { ApiError } from '../plugin.ts';
import { apiErrorOf, send } from './reply.ts';
import { testErrors } from './test-api.ts';

function response() {
  const headers: Record<string, unknown> = {};
  const res = { statusCode: 0, setHeader: (name: string, value: unknown) => (headers[name] = value), end: vi.fn() };
  return { res: res as unknown as ServerResponse & typeof res, headers };
}

describe('replies', () => {
  it('keeps a vendor error as it is, and answers anything else as an internal error off the contract', () => {
    const vendor = new ApiError(401, { detail: 'no' });
    expect(apiErrorOf(vendor, testErrors)).toBe(vendor);
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const internal = apiErrorOf(new TypeError('x is undefined'), testErrors);
    expect(internal).toMatchObject({
      status: 500,
      body: { message: 'Internal error: this is a bug in Standin (x is undefined).' },
    });
    expect(isOffContract(internal)).toBe(true);
  });

  it('sends JSON in the default content type, a Buffer as is, and no Content-Type without a body', () => {
    const json = response();
    expect(send(json.res, { status: 201, body: { a: 1 }, headers: { 'X-A': '1' } }, 'application/vnd.api+json')).toBe(
      '{"a":1}',
    );
    expect(json.headers).toEqual({ 'X-A': '1', 'Content-Type': 'application/vnd.api+json' });
    const pdf = response();
    expect(
      send(pdf.res, { status: 200, body: Buffer.from('%PDF'), contentType: 'application/pdf' }, 'application/json'),
    ).toEqual(Buffer.from('%PDF'));
    expect(pdf.headers['Content-Type']).toBe('application/pdf');
    const empty = response();
    expect(send(empty.res, { status: 204 }, 'application/json')).toBeUndefined();
    expect(empty.res.statusCode).toBe(204);
    expect(empty.headers).toEqual({});
  });
});
