/** DjaoApp's JWTs: claims, the sandbox's signing key, signing and verifying. */
import { jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { djaoappFixtures } from '../../../../fixtures/djaoapp/index.ts';
import { claimsFor, sandboxKey, signToken, verifyToken } from './jwt.ts';

const now = new Date('2030-01-01T00:00:00Z');
const user = (state = djaoappFixtures(), slug = 'xia') => state.users.find((u) => u.slug === slug)!;

describe('jwt', () => {
  it('signs HS256 tokens that jose verifies, with the documented claims and exp from the given clock', async () => {
    const state = djaoappFixtures();
    const key = sandboxKey(state.jwt_secret, 'a');
    const token = await signToken(claimsFor(user(state), now, 3600), key);
    const { payload, protectedHeader } = await jwtVerify(token, key, { currentDate: now });
    expect(protectedHeader).toEqual({ typ: 'JWT', alg: 'HS256' });
    expect(payload).toEqual({
      slug: 'xia',
      username: 'xia',
      printable_name: 'Xia Lee',
      picture: null,
      email: 'xia@locahost.localdomain',
      full_name: 'Xia Lee',
      credentials: true,
      created_at: '2018-01-01T00:00:00Z',
      exp: now.getTime() / 1000 + 3600,
    });
  });

  it('verifies the signature (the sandbox’s own key), the expiry and the encoding strictly', async () => {
    const state = djaoappFixtures();
    const key = sandboxKey(state.jwt_secret, 'a');
    const token = await signToken(claimsFor(user(state), now, 60), key);
    expect(await verifyToken(token, key, now)).toMatchObject({ ok: true, claims: { username: 'xia' } });
    expect(await verifyToken(token, sandboxKey(state.jwt_secret, 'b'), now)).toEqual({
      ok: false,
      reason: 'signature',
    });
    expect(await verifyToken(token, key, new Date(now.getTime() + 60_000))).toEqual({ ok: false, reason: 'expired' });
    // The last character of a 32-byte signature carries 2 unused bits: another character there decodes the same.
    const last = token.at(-1)!;
    const sameBytes = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
      .split('')
      .find(
        (c) =>
          c !== last &&
          Buffer.from(`${token.split('.')[2]!.slice(0, -1)}${c}`, 'base64url').equals(
            Buffer.from(token.split('.')[2]!, 'base64url'),
          ),
      )!;
    for (const junk of [
      'a.b',
      'x.y.z',
      `${token}=`,
      `${token}!!`,
      `${token} `,
      `${token.slice(0, -1)}${sameBytes}`,
      `${token}.x`,
    ])
      expect(await verifyToken(junk, key, now), junk).toEqual({ ok: false, reason: 'malformed' });
  });
});
