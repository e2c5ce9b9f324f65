import { describe, expect, it } from 'vitest';
import type { HandlerContext } from '../plugin.ts';
import { writerThrough } from '../sandbox/named-writes.ts';
import { beginTransaction } from '../sandbox/transaction.ts';
import { handle } from './handle.ts';
import { testApi, type ThingsState } from './test-api.ts';

function context(state: ThingsState, operationId: string, calls: string[] = []): HandlerContext<ThingsState, string> {
  const api = testApi();
  return {
    operation: api.contract.byId.get(operationId)!,
    request: {
      method: operationId.startsWith('get') ? 'GET' : 'PUT',
      path: '/things/1',
      baseUrl: '',
      rawQuery: {},
      headers: {},
    },
    params: { id: 1 },
    query: {},
    headers: {},
    body: undefined,
    state,
    write: writerThrough(state),
    principal: 'caller',
    now: () => new Date(0),
    sandboxId: 's',
    changed: () => calls.push('changed'),
  };
}

describe('the handle stage', () => {
  it('runs beforeHandler, the handler and afterHandler with its reply, in that order', async () => {
    const calls: string[] = [];
    const { plugin } = testApi({
      beforeHandler: () => calls.push('before'),
      handlers: {
        get_thing: () => {
          calls.push('handler');
          return { status: 200, body: { id: 1 } };
        },
      },
      afterHandler: (_ctx, reply) => calls.push(`after ${reply.status}`),
    });
    expect(await handle(plugin, context({ things: {} }, 'get_thing'), { writing: false })).toEqual({
      status: 200,
      body: { id: 1 },
    });
    expect(calls).toEqual(['before', 'handler', 'after 200']);
  });

  it('skips afterHandler when the handler throws', async () => {
    const calls: string[] = [];
    const { plugin } = testApi({
      handlers: {
        get_thing: () => {
          throw new Error('boom');
        },
      },
      afterHandler: () => calls.push('after'),
    });
    await expect(async () => handle(plugin, context({ things: {} }, 'get_thing'), { writing: false })).rejects.toThrow(
      'boom',
    );
    expect(calls).toEqual([]);
  });

  it('calls an operation without a handler a bug', async () => {
    const { plugin } = testApi({ handlers: {} });
    await expect(async () =>
      handle(plugin, context({ things: {} }, 'get_thing'), { writing: false }),
    ).rejects.toMatchObject({
      code: 'no-handler',
      message: 'No handler for things.get_thing',
    });
  });

  it('calls a guarded read that wrote a bug, its hook writes included', async () => {
    const { plugin } = testApi({ beforeHandler: (ctx) => void (ctx.state.things['9'] = { name: 'nine' }) });
    const transaction = beginTransaction<ThingsState>({ things: {} });
    await expect(async () =>
      handle(plugin, context(transaction.state, 'get_thing'), { writing: false, transaction }),
    ).rejects.toMatchObject({
      code: 'unlisted-writing-read',
    });
  });
});
