import type { IncomingMessage, ServerResponse } from 'node:http';
import { inject } from 'light-my-request';
import { describe, expect, it, vi } from 'vitest';
import { isOffContract } from '../errors.ts';
import { ApiError, type Reply } from '../plugin.ts';
import { apiErrorOf, send } from './reply.ts';
import { testErrors } from './test-api.ts';

/** What a client gets when the reply is sent (on a real node:http response), and what send returned. */
async function sent(reply: Reply, defaultContentType: string, before?: (res: ServerResponse) => void) {
  let returned: string | Buffer | undefined;
  const answer = await inject(
    (_req: IncomingMessage, res: ServerResponse) => {
      before?.(res);
      returned = send(res, reply, defaultContentType);
    },
    { url: '/' },
  );
  const { date: _date, connection: _connection, ...headers } = answer.headers;
  return { status: answer.statusCode, headers, body: answer.rawPayload, returned };
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
    const json = await sent({ status: 201, body: { a: 'é' }, headers: { 'X-A': '1' } }, 'application/vnd.api+json');
    expect(json).toEqual({
      status: 201,
      headers: { 'x-a': '1', 'content-type': 'application/vnd.api+json', 'content-length': '10' },
      body: Buffer.from('{"a":"é"}'),
      returned: '{"a":"é"}',
    });
    const pdf = await sent(
      { status: 200, body: Buffer.from('%PDF'), contentType: 'application/pdf' },
      'application/json',
    );
    expect(pdf).toMatchObject({ headers: { 'content-type': 'application/pdf', 'content-length': '4' } });
    expect(pdf.returned).toEqual(Buffer.from('%PDF'));
    const empty = await sent({ status: 204 }, 'application/json');
    expect(empty).toEqual({ status: 204, headers: {}, body: Buffer.alloc(0), returned: undefined });
  });

  it("keeps the headers set before (CORS) and lets the reply's content type win", async () => {
    const answer = await sent({ status: 200, body: [1], contentType: 'application/json' }, 'text/plain', (res) => {
      res.setHeader('Access-Control-Allow-Origin', '*');
      res.setHeader('Content-Type', 'text/html');
    });
    expect(answer.headers).toEqual({
      'access-control-allow-origin': '*',
      'content-type': 'application/json',
      'content-length': '3',
    });
  });
});
