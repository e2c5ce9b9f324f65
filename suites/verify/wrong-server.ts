/**
 * A deliberately wrong Productive: the mock's answers with four defects, one per kind, each in one place:
 * a wrong type (get_price: quantity as a number), a missing field (list_prices: meta.total_count), a wrong
 * status (create_price: 200 instead of 201) and a wrong error format (get_price 404: {"error": ...}).
 */
import type { AddressInfo } from 'node:net';
import express, { type Request, type Response } from 'express';
import { createStandin } from '../../server/app.ts';

export const DEFECTS = [
  { operationId: 'get_price', status: 200, pointer: '/data/attributes/quantity', keyword: 'type' },
  { operationId: 'list_prices', status: 200, pointer: '/meta/total_count', keyword: 'required' },
  { operationId: 'create_price', status: 200, pointer: '', keyword: 'status' },
  { operationId: 'get_price', status: 404, pointer: '/errors', keyword: 'required' },
];

type Forward = (req: Request) => Promise<globalThis.Response>;

/** An express server in front of an in-process strict Productive mock: `handle` answers, forwarding what it wants. */
async function inFrontOfTheMock(handle: (req: Request, res: Response, forward: Forward) => Promise<void>) {
  const standin = await createStandin({ apis: ['productive'], strict: true });
  const mock = standin.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => mock.once('listening', resolve));
  const mockBase = `http://127.0.0.1:${(mock.address() as AddressInfo).port}`;
  const forward: Forward = (req) => {
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter(([k]) => !['host', 'content-length', 'connection'].includes(k)),
    ) as Record<string, string>;
    return fetch(`${mockBase}${req.originalUrl}`, {
      method: req.method,
      headers,
      body: Buffer.isBuffer(req.body) && req.body.length ? new Uint8Array(req.body) : undefined,
    });
  };
  const app = express();
  app.use(express.raw({ type: () => true, limit: '10mb' }));
  app.use((req, res) => handle(req, res, forward));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/productive`,
    close: () => Promise.all([new Promise((r) => server.close(r)), new Promise((r) => mock.close(r))]),
  };
}

export function startWrongProductive() {
  return inFrontOfTheMock(async (req, res, forward) => {
    const upstream = await forward(req);
    let status = upstream.status;
    const text = await upstream.text();
    let body: any = text ? JSON.parse(text) : undefined;
    const path = req.path;
    if (req.method === 'GET' && /^\/productive\/api\/v2\/prices\/[^/]+$/.test(path)) {
      if (status === 200) body.data.attributes.quantity = Number(body.data.attributes.quantity);
      if (status === 404) body = { error: 'not found' };
    } else if (req.method === 'GET' && path === '/productive/api/v2/prices' && status === 200) {
      delete body.meta.total_count;
    } else if (req.method === 'POST' && path === '/productive/api/v2/prices' && status === 201) {
      status = 200;
    }
    res.status(status);
    if (body === undefined) return void res.end();
    res.setHeader('content-type', upstream.headers.get('content-type') ?? 'application/json');
    res.end(JSON.stringify(body));
  });
}

/**
 * A Productive that lacks delete_price, as a Django site lacks an app's routes: DELETE /prices/{id} and every
 * route it does not know answer an HTML 404 page; the rest is the mock's.
 */
export function startPartialProductive() {
  return inFrontOfTheMock(async (req, res, forward) => {
    const known = /^\/productive\/api\/v2\/prices(\/[^/]+)?$/.exec(req.path);
    if (!known || req.method === 'DELETE') {
      res
        .status(404)
        .type('text/html')
        .end(
          `<!DOCTYPE html><html><head><title>Page not found at ${req.path}</title></head><body>${'<p>Using the URLconf…</p>'.repeat(200)}</body></html>`,
        );
      return;
    }
    const upstream = await forward(req);
    res.status(upstream.status);
    const type = upstream.headers.get('content-type');
    if (type) res.setHeader('content-type', type);
    res.end(Buffer.from(await upstream.arrayBuffer()));
  });
}
