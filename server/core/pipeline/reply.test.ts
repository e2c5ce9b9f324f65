import type { ServerResponse } from 'node:http';
import inject from 'light-my-request';
import { describe, expect, it, vi } from 'vitest';
import { isOffContract } from '../errors.ts';
import { ApiError, type Reply } from '../plugin.ts';
import { apiErrorOf, type Sent, send } from './reply.ts';
import { testErrors } from './test-api.ts';

/** Sends `reply` on a real node:http response; what send returned and what the client received. */
async function sent(reply: Reply, defaultContentType: string, before?: (res: ServerResponse) => void) {
  let result!: Sent;
  const received = await inject(
    (_req, res) => {
      before?.(res);
      result = send(res, reply, defaultContentType);
    },
    { url: '/' },
  );
  return { result, received };
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

  it('sends JSON in the default content type, a Buffer as is, and no Content-Type without a body', async () => {
    const json = await sent({ status: 201, body: { a: 1 }, headers: { 'X-A': '1' } }, 'application/vnd.api+json');
    expect(json.result).toEqual({
      payload: { wire: '{"a":1}', atRest: { copy: { a: 1 } } },
      headers: ['X-A', '1', 'Content-Type', 'application/vnd.api+json'],
    });
    expect(json.received.statusCode).toBe(201);
    expect(json.received.headers).toMatchObject({ 'x-a': '1', 'content-type': 'application/vnd.api+json' });
    expect(json.received.payload).toBe('{"a":1}');
    const pdf = await sent({ status: 200, body: Buffer.from('%PDF'), contentType: 'application/pdf' }, 'text/plain');
    expect(pdf.result.payload).toEqual({ wire: Buffer.from('%PDF') });
    expect(pdf.received.headers['content-type']).toBe('application/pdf');
    const empty = await sent({ status: 204 }, 'application/json');
    expect(empty.result).toEqual({ payload: undefined, headers: [] });
    expect(empty.received.statusCode).toBe(204);
    expect(empty.received.headers).not.toHaveProperty('content-type');
  });

  it('keeps the headers set before it, lets the reply override them, and lists them all as sent', async () => {
    const cors = await sent({ status: 200, body: [], headers: { Vary: 'Accept' } }, 'application/json', (res) => {
      res.setHeader('Access-Control-Allow-Origin', '*');
      res.setHeader('Vary', 'Origin');
    });
    expect(cors.received.headers).toMatchObject({ 'access-control-allow-origin': '*', vary: 'Accept' });
    expect(cors.result.headers).toEqual([
      'access-control-allow-origin',
      '*',
      'vary',
      'Accept',
      'content-type',
      'application/json',
    ]);
  });
});
