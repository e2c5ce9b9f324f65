import { describe, expect, it } from 'vitest';
import type { AuthContext } from '../plugin.ts';
import { authenticate } from './auth.ts';
import { testApi } from './test-api.ts';

describe('the auth stage', () => {
  it("gives the plugin the request's credentials as the contract declares them, and returns its principal", () => {
    const seen: AuthContext<unknown>[] = [];
    const api = testApi({
      authenticate: (ctx) => {
        seen.push(ctx);
        return ctx.credentials.basic?.userId ?? 'anonymous';
      },
    });
    const parts = {
      operation: api.contract.byId.get('get_thing')!,
      request: {} as never,
      state: {},
      now: () => new Date(0),
      sandboxId: 's',
    };
    const headers = { authorization: `Basic ${Buffer.from('ann:pw').toString('base64')}`, 'x-key': 'k' };
    expect(authenticate(api, headers, parts)).toBe('ann');
    expect(seen[0]!.credentials).toEqual({
      authorization: expect.objectContaining({ scheme: 'basic' }),
      basic: { userId: 'ann', password: 'pw' },
      apiKeys: { key: 'k' },
    });
  });
});
