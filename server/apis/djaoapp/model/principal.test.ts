/** Who a request's credentials name: a JWT, an API key, or nobody. */
import { describe, expect, it } from 'vitest';
import { djaoappFixtures } from '../../../../fixtures/djaoapp/index.ts';
import { principalFor } from './principal.ts';
import { resetApiKey } from './credentials.ts';
import { claimsFor, sandboxKey, signToken } from './jwt.ts';
import { ApiError } from '../../../core/plugin.ts';

const now = new Date('2030-01-01T00:00:00Z');
const user = (state = djaoappFixtures(), slug = 'xia') => state.users.find((u) => u.slug === slug)!;

describe('authentication scheme', () => {
  it('anonymous without a header; 401 for a bad bearer token or an unknown key; the user for a good one', async () => {
    const state = djaoappFixtures();
    expect(await principalFor(state, 'a', undefined, now)).toEqual({ user: null, via: null });
    await expect(principalFor(state, 'a', 'Bearer nope', now)).rejects.toThrow(ApiError);
    await expect(principalFor(state, 'a', `Basic ${Buffer.from(`${'k'.repeat(64)}:`).toString('base64')}`, now)).rejects.toThrow(ApiError);
    await expect(principalFor(state, 'a', 'Digest abc', now)).rejects.toThrow(ApiError);
    const token = await signToken(claimsFor(user(state), now, 60), sandboxKey(state.jwt_secret, 'a'));
    expect(await principalFor(state, 'a', `Bearer ${token}`, now)).toMatchObject({ user: { slug: 'xia' }, via: 'jwt' });
    await expect(principalFor(state, 'b', `Bearer ${token}`, now)).rejects.toThrow(ApiError);
    const { secret } = resetApiKey(state, user(state), now);
    expect(await principalFor(state, 'a', `Basic ${Buffer.from(`${secret}:`).toString('base64')}`, now)).toMatchObject({ user: { slug: 'xia' }, via: 'api-key' });
  });
});
