import { describe, expect, it } from 'vitest';
import { djaoappFixtures } from '../../../../fixtures/djaoapp/index.ts';
import { loadContract } from '../../../core/contract/load.ts';
import { credentialsReader } from '../../../core/pipeline/credentials.ts';
import { resetApiKey } from './credentials.ts';
import { claimsFor, sandboxKey, signToken } from './jwt.ts';
import { principalFor } from './principal.ts';

const now = new Date('2030-01-01T00:00:00Z');
const read = credentialsReader(loadContract('djaoapp').document);
const as = (authorization?: string) => read(authorization === undefined ? {} : { authorization });
const basic = (text: string) => `Basic ${Buffer.from(text).toString('base64')}`;
const bearerChallenge = { 'WWW-Authenticate': 'Bearer realm="api"' };

describe('the DjaoApp principal', () => {
  const state = djaoappFixtures();
  const xia = state.users.find((u) => u.slug === 'xia')!;

  it('is anonymous without an Authorization header', async () => {
    expect(await principalFor(state, 'a', as(), now)).toEqual({ user: null, via: null });
  });

  it('is the user of a JWT signed for this sandbox, after Bearer or JWT', async () => {
    const token = await signToken(claimsFor(xia, now, 60), sandboxKey(state.jwt_secret, 'a'));
    expect(await principalFor(state, 'a', as(`Bearer ${token}`), now)).toMatchObject({
      user: { slug: 'xia' },
      via: 'jwt',
    });
    expect(await principalFor(state, 'a', as(`JWT ${token}`), now)).toMatchObject({ via: 'jwt' });
    await expect(principalFor(state, 'b', as(`Bearer ${token}`), now)).rejects.toMatchObject({
      status: 401,
      body: { detail: 'Invalid token' },
      headers: bearerChallenge,
    });
  });

  it('is the owner of an API key sent as the Basic user id', async () => {
    const { secret } = resetApiKey(state, xia, now);
    expect(await principalFor(state, 'a', as(basic(`${secret}:`)), now)).toMatchObject({
      user: { slug: 'xia' },
      via: 'api-key',
    });
    expect(await principalFor(state, 'a', as(basic(secret)), now)).toMatchObject({ via: 'api-key' });
  });

  it("answers DRF's 401s: no token, a bad token, an unknown key, an unknown scheme", async () => {
    await expect(principalFor(state, 'a', as('Bearer'), now)).rejects.toMatchObject({
      status: 401,
      body: { detail: 'Invalid token header. No credentials provided.' },
      headers: bearerChallenge,
    });
    await expect(principalFor(state, 'a', as('Bearer nope'), now)).rejects.toMatchObject({
      body: { detail: 'Invalid token' },
    });
    await expect(principalFor(state, 'a', as(basic(`${'k'.repeat(64)}:`)), now)).rejects.toMatchObject({
      status: 401,
      body: { detail: 'Invalid API Key.' },
      headers: { 'WWW-Authenticate': 'Basic realm="api"' },
    });
    await expect(principalFor(state, 'a', as('Basic'), now)).rejects.toMatchObject({
      body: { detail: 'Invalid API Key.' },
    });
    await expect(principalFor(state, 'a', as('Digest abc'), now)).rejects.toMatchObject({
      status: 401,
      body: { detail: 'Invalid token header.' },
    });
  });
});
