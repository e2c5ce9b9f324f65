import { describe, expect, it } from 'vitest';
import { plugins } from '../apis/index.ts';
import { loadContract } from '../core/contract/load.ts';
import { mountApi } from '../core/pipeline/mount.ts';
import type { ApiPlugin, GettingStarted } from '../core/plugin.ts';
import { startView } from './getting-started.ts';

const plugin = (name: string) => plugins.find((p) => p.name === name)!;
const mounted = (name: string, change: (start: GettingStarted) => GettingStarted = (s) => s) => {
  const original = plugin(name);
  const changed: ApiPlugin = { ...original, gettingStarted: (state) => change(original.gettingStarted!(state)) };
  return mountApi(changed, loadContract(name));
};

describe('startView', () => {
  it('sends each credential as its security scheme says: Basic, Bearer, API-key headers, or a login', () => {
    const toggl = startView(mounted('toggl'))!;
    expect(toggl.credentials[0]!.headers).toEqual({
      Authorization: `Basic ${Buffer.from('admin@toggl.test:yoyo').toString('base64')}`,
    });
    expect(toggl.firstRequest).toMatchObject({ method: 'GET', path: '/api/v9/organizations/56/subscription' });
    expect(startView(mounted('togai'))!.firstRequest.headers).toEqual({ Authorization: 'Bearer togai-test-token' });
    expect(startView(mounted('productive'))!.firstRequest.headers).toEqual({
      'X-Auth-Token': 'productive-test-token',
      'X-Organization-Id': '572',
    });
    expect(startView(mounted('djaoapp'))!.credentials[0]!.login).toMatchObject({
      request: { method: 'POST', path: '/api/auth/', body: { password: 'yoyo' } },
      tokenField: 'token',
    });
  });

  it('fills path parameters encoded, and refuses a first request or credential the contract does not have', () => {
    const odd = startView(
      mounted('togai', (s) => ({ ...s, firstRequest: { ...s.firstRequest, params: { account_id: 'a/b c' } } })),
    );
    expect(odd!.firstRequest.path).toBe('/accounts/a%2Fb%20c');
    expect(() => startView(mounted('togai', (s) => ({ ...s, firstRequest: { operationId: 'get_account' } })))).toThrow(
      'no value for {account_id}',
    );
    expect(() => startView(mounted('togai', (s) => ({ ...s, firstRequest: { operationId: 'nope' } })))).toThrow(
      'no operation nope',
    );
    const wrongScheme = (s: GettingStarted) => ({ ...s, credentials: [{ who: 'x', schemes: { apiKey: 'k' } }] });
    expect(() => startView(mounted('togai', wrongScheme))).toThrow('does not fit get_account');
    const basicForBearer = (s: GettingStarted) => ({
      ...s,
      credentials: [{ who: 'x', schemes: { bearerAuth: { username: 'u', password: 'p' } } }],
    });
    expect(() => startView(mounted('togai', basicForBearer))).toThrow('bearerAuth does not fit its scheme');
  });
});
