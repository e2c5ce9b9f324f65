import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FaultStore } from '../faults.ts';
import { ApiError, type ApiPlugin } from '../plugin.ts';
import { SandboxStore } from '../sandbox/store.ts';
import { dispatcher } from './dispatch.ts';
import { apiPipeline, type PipelineOptions, type RequestEvent } from './index.ts';
import { testApi, type ThingsState } from './test-api.ts';

const servers: Server[] = [];
afterEach(() => servers.splice(0).forEach((s) => s.close()));

/** The things API served alone, strict (the self-check on) and with fault injection. */
async function serve(plugin: Partial<ApiPlugin<ThingsState, string>> = {}, options: Partial<PipelineOptions> = {}) {
  const api = testApi(plugin);
  const store = await SandboxStore.open({ fixtures: () => ({ things: api.plugin.fixtures() }) });
  const faults = new FaultStore(new Map([['things', new Set(api.contract.byId.keys())]]));
  const pipeline = apiPipeline(api, {
    store,
    faults,
    strict: true,
    guardReads: true,
    bodyLimitBytes: 1024,
    ...options,
  });
  const server = createServer(dispatcher((_req, res) => res.end(), new Map([['things', pipeline]]))).listen(
    0,
    '127.0.0.1',
  );
  servers.push(server);
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/things`;
  const call = async (method: string, path: string, headers: Record<string, string> = {}, body?: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.text() };
  };
  return {
    call,
    state: async () => (await store.get('default')).state.apis.things as ThingsState,
    journal: async () => (await store.get('default')).journal,
  };
}

describe('the pipeline, its stages in order', () => {
  it('answers an operation and journals it', async () => {
    const { call, journal } = await serve();
    expect(await call('GET', '/things/1')).toEqual({ status: 200, body: '{"id":1}' });
    expect(JSON.stringify((await journal()).last())).toContain('"operationId":"get_thing"');
  });

  it('injects a fault before auth, and authenticates before validating', async () => {
    const refused = () => {
      throw new ApiError(401, { detail: 'who?' });
    };
    const { call } = await serve({ authenticate: refused });
    expect((await call('GET', '/things/1', { 'x-standin-fault': 'status=502' })).status).toBe(502);
    expect(await call('PUT', '/things/1', {}, { name: 7 })).toEqual({ status: 401, body: '{"detail":"who?"}' });
  });

  it('undoes the writes of a request that failed, its hook writes included', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const { call, state } = await serve({
      beforeHandler: (ctx) => void (ctx.state.things.hook = { name: 'hook' }),
      handlers: {
        put_thing: (ctx) => {
          ctx.state.things[String(ctx.params.id)] = { name: 'half' };
          throw new Error('boom');
        },
      },
    });
    expect(await call('PUT', '/things/1', {}, { name: 'one' })).toMatchObject({ status: 500 });
    expect(await state()).toEqual({ things: {} });
  });

  it('answers 500 for a reply outside the contract and keeps none of its writes', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const { call, state } = await serve({
      handlers: {
        put_thing: (ctx) => {
          ctx.state.things['1'] = { name: 'one' };
          return { status: 200, body: { surprise: true } };
        },
      },
    });
    const answer = await call('PUT', '/things/1', {}, { name: 'one' });
    expect(answer.status).toBe(500);
    expect(JSON.parse(answer.body)).toMatchObject({ operation: 'put_thing', answered: 200 });
    expect(await state()).toEqual({ things: {} });
  });

  it("with strict 'warn' answers a reply outside the contract as it is, keeps its writes, and reports it", async () => {
    const events: RequestEvent[] = [];
    const { call, state, journal } = await serve(
      {
        handlers: {
          put_thing: (ctx) => {
            ctx.state.things['1'] = { name: 'one' };
            return { status: 200, body: { surprise: true } };
          },
        },
      },
      { strict: 'warn', onRequest: (event) => events.push(event) },
    );
    expect(await call('PUT', '/things/1', {}, { name: 'one' })).toEqual({ status: 200, body: '{"surprise":true}' });
    expect(await state()).toEqual({ things: { '1': { name: 'one' } } });
    expect((await journal()).last()[0]!.validation.response).not.toEqual([]);
    expect(events).toEqual([
      {
        sandbox: 'default',
        api: 'things',
        method: 'PUT',
        path: '/things/things/1',
        operationId: 'put_thing',
        status: 200,
        durationMs: expect.any(Number),
        violations: { request: [], response: [expect.stringMatching(/^response /)] },
      },
    ]);
  });

  it('tells onRequest of every request, a refused one and one with no sandbox too', async () => {
    const events: RequestEvent[] = [];
    const { call } = await serve({}, { onRequest: (event) => events.push(event) });
    await call('GET', '/things/1');
    await call('PUT', '/things/1', {}, { name: 7 });
    await call('GET', '/things/1', { 'x-standin-sandbox': '../bad' });
    expect(events.map(({ durationMs, ...e }) => e)).toEqual([
      {
        sandbox: 'default',
        api: 'things',
        method: 'GET',
        path: '/things/things/1',
        operationId: 'get_thing',
        status: 200,
      },
      {
        sandbox: 'default',
        api: 'things',
        method: 'PUT',
        path: '/things/things/1',
        operationId: 'put_thing',
        status: 400,
        violations: { request: ['body /name: must be string'], response: [] },
      },
      { sandbox: undefined, api: 'things', method: 'GET', path: '/things/things/1', operationId: null, status: 400 },
    ]);
  });
});
