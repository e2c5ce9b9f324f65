/**
 * DjaoApp authentication, as its docs walk through it: log in for a JWT, refresh and verify it, create an API key
 * and authenticate with it, change the password, recover a forgotten one, register and activate, log out.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { loadContract } from '../../server/core/contract/load.ts';
import { expandPath, expectStatus, needsStandin } from '../support/target.ts';
import {
  basicAuth,
  disposableUser,
  expectSignInRequired,
  isNotServed,
  isUrlGuardRefusal,
  jwtPayload,
  sessionOfFile,
  outbox,
  skipUnlessServed,
  unique,
} from './target.ts';
import { changePassword, createUser, readUser, updateSshKey } from './support/users.ts';

const { t, creds, manager, member } = await sessionOfFile();

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('POST /api/auth/ (login)', () => {
  it("returns an HS256 JWT with the user's claims", async () => {
    const res = await t.call('auth_login', { body: creds.member });
    expect(res.status).toBe(201);
    const [header] = res.body.token.split('.');
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toMatchObject({ alg: 'HS256', typ: 'JWT' });
    const claims = jwtPayload(res.body.token);
    // One claim at a time, so a report names the claim a backend leaves out.
    for (const claim of [
      'slug',
      'username',
      'email',
      'full_name',
      'printable_name',
      'created_at',
      'credentials',
      'exp',
    ])
      expect(claims).toHaveProperty(claim);
    expect(claims).toMatchObject({ slug: creds.member.username, username: creds.member.username, credentials: true });
    for (const claim of ['email', 'full_name', 'printable_name', 'created_at'])
      expect(typeof claims[claim]).toBe('string');
    expect(claims.exp).toBeTypeOf('number');
  });

  it('accepts the e-mail address as username', async () => {
    const me = await readUser(t, creds.member.username, member);
    const res = await t.call('auth_login', { body: { username: me.body.email, password: creds.member.password } });
    expect(res.status).toBe(201);
    expect(jwtPayload(res.body.token).username).toBe(creds.member.username);
  });

  it('answers 401 for a wrong password or an unknown user', async () => {
    for (const body of [
      { ...creds.member, password: 'not-the-password' },
      { username: 'nobody-here', password: 'x' },
    ]) {
      const res = await t.call('auth_login', { body });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ detail: expect.any(String) });
    }
  });

  it('answers 400 naming the missing field, and for bad JSON; 415 for another content type', async () => {
    const missing = await t.call('auth_login', { body: { username: creds.member.username } });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ password: ['This field is required.'] });
    const badJson = await t.call('auth_login', {
      rawBody: '{"username": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(badJson.status).toBe(400);
    expect(badJson.body.detail).toMatch(/^JSON parse error/);
    const text = await t.call('auth_login', { rawBody: 'username=donny', headers: { 'content-type': 'text/plain' } });
    expect(text.status).toBe(415);
    expect(text.body).toEqual({ detail: 'Unsupported media type "text/plain" in request.' });
  });
});

describe('Bearer authentication', () => {
  it("answers 401 without credentials, with the Bearer challenge (or a URL guard's 403)", async (ctx) => {
    const res = await readUser(t, creds.member.username);
    await expectSignInRequired(ctx, res);
    if (res.status === 401) expect(res.body).toEqual({ detail: 'Authentication credentials were not provided.' });
  });

  it('answers 401 for a token that does not verify, even on a public operation', async (ctx) => {
    const token = manager.Authorization!.slice(7);
    const tampered = `${token.split('.').slice(0, 2).join('.')}.${'A'.repeat(43)}`;
    for (const headers of [bearer('not.a.token'), bearer(tampered), bearer('garbage')]) {
      const res = await readUser(t, creds.manager.username, headers);
      await expectSignInRequired(ctx, res);
      if (res.status === 401) expect(res.body).toEqual({ detail: 'Invalid token' });
    }
    const pub = await t.call('auth_recover', { body: { email: 'someone@example.com' }, headers: bearer(tampered) });
    expect(pub.status).toBe(401);
    expect(pub.body).toEqual({ detail: 'Invalid token' });
    expect(pub.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('expires tokens on the sandbox clock: exp is one hour after login, then 401 "Signature has expired."', async (ctx) => {
    needsStandin(ctx, 'the sandbox clock');
    await t.admin('POST', '/clock', { set: '2030-01-01T00:00:00Z', freeze: true });
    try {
      const res = await t.call('auth_login', { body: creds.member });
      expect(jwtPayload(res.body.token).exp).toBe(Date.parse('2030-01-01T01:00:00Z') / 1000);
      await t.admin('POST', '/clock', { advance: 'PT59M' });
      await expectStatus(200, readUser(t, creds.member.username, bearer(res.body.token)));
      await t.admin('POST', '/clock', { advance: 'PT1M' });
      const expired = await readUser(t, creds.member.username, bearer(res.body.token));
      expect(expired.status).toBe(401);
      expect(expired.body).toEqual({ detail: 'Signature has expired.' });
      // The token is checked before the caller: no credentials are needed to hear that it expired.
      const refresh = await t.call('auth_tokens_refresh', { body: { token: res.body.token } });
      expect(refresh.status).toBe(400);
      expect(refresh.body).toEqual(['Signature has expired.']);
    } finally {
      await t.admin('POST', '/clock', { reset: true });
    }
  });
});

describe('POST /api/auth/tokens/ (refresh) and /api/auth/tokens/verify/', () => {
  it('refresh returns the caller a new token of theirs that expires later', async () => {
    const token = member.Authorization!.slice(7);
    if (t.standin) await t.admin('POST', '/clock', { advance: 'PT10M' });
    const res = await t.call('auth_tokens_refresh', { body: { token }, headers: member });
    expect(res.status).toBe(201);
    expect(jwtPayload(res.body.token).username).toBe(creds.member.username);
    expect(jwtPayload(res.body.token).exp).toBeGreaterThanOrEqual(jwtPayload(token).exp + (t.standin ? 600 : 0));
    await expectStatus(200, readUser(t, creds.member.username, bearer(res.body.token)));
  });

  it("verify echoes the caller's own token", async () => {
    const token = member.Authorization!.slice(7);
    const res = await t.call('auth_tokens_verify', { body: { token }, headers: member });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ token });
  });

  it('refuses another user\'s token: refresh 403, verify 400 ["token is invalid"]', async () => {
    const token = member.Authorization!.slice(7);
    const refresh = await t.call('auth_tokens_refresh', { body: { token }, headers: manager });
    expect(refresh.status).toBe(403);
    expect(refresh.body).toEqual({ detail: 'You do not have permission to perform this action.' });
    const verify = await t.call('auth_tokens_verify', { body: { token }, headers: manager });
    expect(verify.status).toBe(400);
    expect(verify.body).toEqual(['token is invalid']);
  });

  it("refuses a token sent without credentials: refresh 403, verify 400 (or a URL guard's 403)", async (ctx) => {
    const token = member.Authorization!.slice(7);
    const refresh = await t.call('auth_tokens_refresh', { body: { token } });
    expect(refresh.status).toBe(403);
    const verify = await t.call('auth_tokens_verify', { body: { token } });
    for (const res of [refresh, verify])
      if (isUrlGuardRefusal(res))
        await ctx.annotate("403 text/html: the URL guard's answer, not the API's", 'url-guard');
    if (!isUrlGuardRefusal(refresh))
      expect(refresh.body).toEqual({ detail: 'You do not have permission to perform this action.' });
    if (!isUrlGuardRefusal(verify)) {
      expect(verify.status).toBe(400);
      expect(verify.body).toEqual(['token is invalid']);
    }
  });

  it('answers 400 ["Error decoding signature."] for a bad token, and 400 for a missing one', async () => {
    for (const operation of ['auth_tokens_verify', 'auth_tokens_refresh']) {
      const bad = await t.call(operation, {
        body: { token: 'eyJhbGciOiJIUzI1NiJ9.eyJ1c2VybmFtZSI6ImRvbm55In0.c2lnbmF0dXJl' },
        headers: member,
      });
      expect(bad.status).toBe(400);
      expect(bad.body).toEqual(['Error decoding signature.']);
      const missing = await t.call(operation, { body: {}, headers: member });
      expect(missing.status).toBe(400);
      expect(missing.body).toEqual({ token: ['This field is required.'] });
    }
  });
});

describe('POST /api/users/{user}/api-keys/', () => {
  it('returns a 64-character secret once; HTTP Basic with it as username authenticates; a new key replaces it', async (ctx) => {
    // A user of the scenario's own: the API cannot take a key back, and the configured users had none to restore.
    const user = await disposableUser(t, manager, ctx.onTestFinished, 'keyed');
    const res = await t.call('users_api_keys_reset', {
      params: { user: user.username },
      headers: user.headers,
      body: { password: user.password },
    });
    expect(res.status).toBe(201);
    expect(res.body.secret).toMatch(/^[A-Za-z0-9]{64}$/);
    const viaKey = await readUser(t, user.username, basicAuth(res.body.secret));
    expect(viaKey.status).toBe(200);
    expect(viaKey.body.slug).toBe(user.username);
    const again = await t.call('users_api_keys_reset', {
      params: { user: user.username },
      headers: user.headers,
      body: { password: user.password },
    });
    expect(again.body.secret).not.toBe(res.body.secret);
    const old = await readUser(t, user.username, basicAuth(res.body.secret));
    if (isUrlGuardRefusal(old)) await ctx.annotate("403 text/html: the URL guard's answer, not the API's", 'url-guard');
    else expect(old.status).toBe(401);
  });

  it('answers 401 {"password": "Incorrect password"} for a missing or wrong password', async () => {
    for (const body of [{}, { password: 'wrong' }]) {
      const res = await t.call('users_api_keys_reset', {
        params: { user: creds.member.username },
        headers: member,
        body,
      });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ password: 'Incorrect password' });
    }
  });

  it("answers 403 for another user's keys, 404 for an unknown user (to a broker manager), 401 without credentials", async (ctx) => {
    // Another user of the scenario's own: a backend without the rule gives nobody else a key.
    const someone = await disposableUser(t, manager, ctx.onTestFinished, 'keyless');
    const other = await t.call('users_api_keys_reset', {
      params: { user: someone.username },
      headers: member,
      body: { password: creds.member.password },
    });
    expect(other.status).toBe(403);
    expect(other.body).toEqual({ detail: expect.any(String) });
    const unknown = await t.call('users_api_keys_reset', {
      params: { user: 'no-such-user' },
      headers: manager,
      body: { password: creds.manager.password },
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ detail: 'Not found.' });
    const anonymous = await t.call('users_api_keys_reset', {
      params: { user: someone.username },
      body: { password: someone.password },
    });
    await expectSignInRequired(ctx, anonymous);
  });

  it("answers 401 for an unknown API key (or a URL guard's 403)", async (ctx) => {
    const res = await readUser(t, creds.member.username, basicAuth('x'.repeat(64)));
    if (isUrlGuardRefusal(res)) await ctx.annotate("403 text/html: the URL guard's answer, not the API's", 'url-guard');
    else expect(res.status).toBe(401);
  });
});

describe('PUT /api/users/{user}/password/', () => {
  it('changes the password with the current one: the new one logs in, the old one no longer does', async () => {
    const changed = `n3w-passw0rd-${unique()}`;
    const res = await changePassword(t, creds.member.username, member, {
      password: creds.member.password,
      new_password: changed,
    });
    try {
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ detail: 'Password updated successfully.' });
      expect((await t.call('auth_login', { body: creds.member })).status).toBe(401);
      expect((await t.call('auth_login', { body: { ...creds.member, password: changed } })).status).toBe(201);
    } finally {
      // Every later scenario signs in with the configured password: it comes back whatever failed above.
      if (res.status === 200) {
        const back = await t.send(
          'PUT',
          t.operation('users_password_update').path.replace('{user}', creds.member.username),
          {
            headers: member,
            body: { password: changed, new_password: creds.member.password },
          },
        );
        expect(back.status, 'the configured password is restored').toBe(200);
      }
    }
  });

  it('answers 401 for a wrong current password, 400 without new_password, 403 for another user', async () => {
    const wrong = await changePassword(t, creds.member.username, member, { password: 'wrong', new_password: 'x' });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({ password: 'Incorrect password' });
    const missing = await changePassword(t, creds.member.username, member, { password: creds.member.password });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ new_password: ['This field is required.'] });
    // The new password is the other user's own: a backend that lets it through changes nothing.
    const other = await changePassword(t, creds.manager.username, member, {
      password: creds.member.password,
      new_password: creds.manager.password,
    });
    expect(other.status).toBe(403);
    expect((await t.call('auth_login', { body: creds.manager })).status).toBe(201);
  });
});

describe('PUT /api/users/{user}/ssh-keys/', () => {
  it('updates the public key with the password; 401 with a wrong one; 400 without pubkey; 403 for another user', async () => {
    const ok = await updateSshKey(t, creds.member.username, member, {
      pubkey: 'ssh-rsa AAAAB3Nza xia@laptop',
      password: creds.member.password,
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ detail: 'Public key updated successfully.' });
    const wrong = await updateSshKey(t, creds.member.username, member, { pubkey: 'ssh-rsa AAAA', password: 'no' });
    expect(wrong.status).toBe(401);
    const missing = await updateSshKey(t, creds.member.username, member, { password: creds.member.password });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ pubkey: ['This field is required.'] });
    const other = await updateSshKey(t, creds.manager.username, member, {
      pubkey: 'ssh-rsa AAAA',
      password: creds.member.password,
    });
    expect(other.status).toBe(403);
  });
});

describe('POST /api/auth/recover/ and POST /api/auth/reset/{uidb64}/{token}/', () => {
  it('answers 200 with the address, and 400 for a missing or malformed one', async () => {
    const res = await t.call('auth_recover', { body: { email: 'nobody@example.com' } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ email: 'nobody@example.com' });
    const missing = await t.call('auth_recover', { body: {} });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ email: ['This field is required.'] });
    const malformed = await t.call('auth_recover', { body: { email: 'not-an-address' } });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toEqual({ email: ['Enter a valid email address.'] });
  });

  it('e-mails a reset link (in the outbox) that sets a new password once', async (ctx) => {
    needsStandin(ctx, 'the outbox, where the reset link is read');
    const me = await readUser(t, creds.member.username, member);
    await t.call('auth_recover', { body: { email: me.body.email } });
    const mail = (await outbox(t)).filter((m) => m.template === 'password_reset').pop()!;
    expect(mail.to).toEqual([me.body.email]);
    const { uidb64, token } = mail.context as { uidb64: string; token: string };
    expect(mail.body).toContain(`/reset/${uidb64}/${token}/`);
    const reset = await t.call('auth_reset', {
      params: { uidb64, token },
      body: { new_password: 'r3set-pw', new_password2: 'r3set-pw' },
    });
    expect(reset.status).toBe(201);
    expect(jwtPayload(reset.body.token).username).toBe(creds.member.username);
    expect((await t.call('auth_login', { body: { ...creds.member, password: 'r3set-pw' } })).status).toBe(201);
    const again = await t.call('auth_reset', { params: { uidb64, token }, body: { new_password: 'other' } });
    expect(again.status).toBe(400);
    expect(again.body).toEqual({ detail: expect.stringMatching(/invalid/) });
    await changePassword(t, creds.member.username, member, {
      password: 'r3set-pw',
      new_password: creds.member.password,
    });
  });

  it('answers 400 for an unknown link, mismatched passwords or a missing new_password', async () => {
    const unknown = await t.call('auth_reset', {
      params: { uidb64: 'eGlh', token: 'nope' },
      body: { new_password: 'x' },
    });
    expect(unknown.status).toBe(400);
    const missing = await t.call('auth_reset', { params: { uidb64: 'eGlh', token: 'nope' }, body: {} });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ new_password: ['This field is required.'] });
  });
});

describe('POST /api/auth/register/ and activation', () => {
  const newbie = `newbie${unique()}`;
  afterAll(async () => {
    // What registration created goes away (a backend that keeps deleted users archives them).
    const path = t.operation('users_destroy').path.replace('{user}', newbie);
    await t.send('DELETE', path, { headers: manager });
  });

  it('registers a user and returns a token for them; the user can read their record', async () => {
    const res = await t.call('auth_register', {
      body: { username: newbie, password: 'pw-newbie', email: `${newbie}@example.com`, full_name: 'New Bie' },
    });
    expect(res.status).toBe(201);
    expect(jwtPayload(res.body.token)).toMatchObject({
      username: newbie,
      email: `${newbie}@example.com`,
      full_name: 'New Bie',
      credentials: true,
    });
    const me = await readUser(t, newbie, bearer(res.body.token));
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ slug: newbie, email: `${newbie}@example.com`, credentials: true, activities: [] });
  });

  it('answers 400 for a taken username or e-mail, a missing e-mail or full_name, a malformed e-mail', async () => {
    const taken = await t.call('auth_register', {
      body: { username: newbie, password: 'x', email: `other-${newbie}@example.com`, full_name: 'X' },
    });
    expect(taken.status).toBe(400);
    expect(taken.body).toHaveProperty('username');
    const email = await t.call('auth_register', {
      body: { username: `${newbie}-2`, password: 'x', email: `${newbie.toUpperCase()}@example.com`, full_name: 'X' },
    });
    expect(email.status).toBe(400);
    expect(email.body).toEqual({ email: 'This e-mail address is already taken.' });
    const missing = await t.call('auth_register', { body: { username: `${newbie}-3` } });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ email: ['This field is required.'], full_name: ['This field is required.'] });
    const malformed = await t.call('auth_register', { body: { email: 'nope', full_name: 'X' } });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toEqual({ email: ['Enter a valid email address.'] });
  });

  it('a user registered without a password activates with the key e-mailed to them', async (ctx) => {
    needsStandin(ctx, 'the outbox, where the activation key is read');
    const address = `pending-${unique()}@example.com`;
    const res = await t.call('auth_register', { body: { email: address, full_name: 'Pen Ding' } });
    expect(res.status).toBe(201);
    const slug = jwtPayload(res.body.token).username;
    expect(jwtPayload(res.body.token).credentials).toBe(false);
    const mail = (await outbox(t)).filter((m) => m.template === 'verification' && m.to[0] === address).pop()!;
    const key = mail.context.verification_key!;
    const pending = await t.call('auth_activate_retrieve', { params: { verification_key: key } });
    expect(pending.status).toBe(200);
    expect(pending.body).toMatchObject({ slug, email: address, credentials: false });
    const activated = await t.call('auth_activate', {
      params: { verification_key: key },
      body: { new_password: 'act1vated', full_name: 'Pen Ding Jr' },
    });
    expect(activated.status).toBe(201);
    expect(jwtPayload(activated.body.token)).toMatchObject({
      username: slug,
      full_name: 'Pen Ding Jr',
      credentials: true,
    });
    expect((await t.call('auth_login', { body: { username: slug, password: 'act1vated' } })).status).toBe(201);
    expect((await t.call('auth_activate_retrieve', { params: { verification_key: key } })).status).toBe(404);
    expect((await t.call('auth_activate', { params: { verification_key: key }, body: {} })).status).toBe(404);
  });

  it('answers 404 {"detail": "Not found."} for an unknown activation key', async () => {
    // Well-formed (40 hex digits, as djaodjin-signup routes them) and unknown.
    const key = randomBytes(20).toString('hex');
    const get = await t.call('auth_activate_retrieve', { params: { verification_key: key } });
    expect(get.status).toBe(404);
    expect(get.body).toEqual({ detail: 'Not found.' });
    expect((await t.call('auth_activate', { params: { verification_key: key }, body: {} })).status).toBe(404);
  });
});

describe('POST /api/users/{user}/activate/ (re-send activation)', () => {
  beforeEach((ctx) => skipUnlessServed(ctx, t, manager, 'users_activate_resend'));
  it('re-sends the activation e-mail to a user who is not activated, answers the user', async (ctx) => {
    needsStandin(ctx, 'the outbox, where the e-mail is read');
    const created = await createUser(t, manager, { email: 'lead7@example.com', full_name: 'Lead Seven' });
    const before = (await outbox(t)).length;
    const res = await t.call('users_activate_resend', { params: { user: created.body.slug }, headers: manager });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ slug: created.body.slug, email: 'lead7@example.com', credentials: false });
    const mails = await outbox(t);
    expect(mails.length).toBe(before + 1);
    expect(mails.at(-1)).toMatchObject({ template: 'verification', to: ['lead7@example.com'] });
  });

  it('answers 403 for another user, 404 for an unknown one (to a broker manager)', async () => {
    await expectStatus(
      403,
      t.call('users_activate_resend', { params: { user: creds.manager.username }, headers: member }),
    );
    expect((await t.call('users_activate_resend', { params: { user: 'no-such-user' }, headers: manager })).status).toBe(
      404,
    );
  });
});

describe('POST /api/auth/logout/', () => {
  it('answers 200 and clears the session cookie; tokens stay valid until they expire', async () => {
    const res = await t.call('auth_logout', { headers: member });
    expect(res.status).toBe(200);
    expect((await readUser(t, creds.member.username, member)).status).toBe(200);
  });
});

describe('end to end: login → refresh → API key → password change → recover → reset', () => {
  it('walks a user through every credential', async (ctx) => {
    needsStandin(ctx, 'the outbox, where the reset link is read');
    const user = creds.otherManager;
    const logged = await t.call('auth_login', { body: user });
    expect(logged.status).toBe(201);
    const refreshed = await t.call('auth_tokens_refresh', {
      body: { token: logged.body.token },
      headers: bearer(logged.body.token),
    });
    expect(refreshed.status).toBe(201);
    const key = await t.call('users_api_keys_reset', {
      params: { user: user.username },
      headers: bearer(refreshed.body.token),
      body: { password: user.password },
    });
    expect(key.status).toBe(201);
    const changed = await changePassword(t, user.username, basicAuth(key.body.secret), {
      password: user.password,
      new_password: 'ch4nged',
    });
    expect(changed.status).toBe(200);
    expect((await t.call('auth_login', { body: user })).status).toBe(401);
    const me = await readUser(t, user.username, basicAuth(key.body.secret));
    await t.call('auth_recover', { body: { email: me.body.email } });
    const mail = (await outbox(t)).filter((m) => m.template === 'password_reset' && m.to[0] === me.body.email).pop()!;
    const reset = await t.call('auth_reset', {
      params: { uidb64: mail.context.uidb64!, token: mail.context.token! },
      body: { new_password: user.password },
    });
    expect(reset.status).toBe(201);
    expect((await t.call('auth_login', { body: user })).status).toBe(201);
    await expectStatus(
      200,
      t.call('auth_tokens_verify', { body: { token: reset.body.token }, headers: bearer(reset.body.token) }),
    );
  });
});

describe('requests outside the contract', () => {
  it('answers 405 {"detail": "Method \\"GET\\" not allowed."} for a method the path does not take, 404 for an unknown path', async () => {
    const res = await t.send('GET', '/api/auth/');
    expect(res.status).toBe(405);
    expect(res.body).toEqual({ detail: 'Method "GET" not allowed.' });
    const unknown = await t.send('GET', '/api/no-such-thing/', { headers: manager });
    expect(unknown.status).toBe(404);
    // A path outside every API has no documented body: the JSON one is Standin's.
    if (t.standin) expect(unknown.body).toEqual({ detail: 'Not found.' });
  });

  it('answers 413 with a detail for a body over the size cap', async (ctx) => {
    needsStandin(ctx, "Standin's body size cap (2 MiB)");
    const res = await t.call('auth_login', {
      rawBody: JSON.stringify({ username: 'x'.repeat(2 * 1024 * 1024), password: 'y' }),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ detail: expect.stringContaining('bytes') });
  });

  it('answers 400 {"non_field_errors": [...]} for a body that is not an object', async () => {
    const res = await t.call('auth_login', { body: ['donny', 'yoyo'] });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ non_field_errors: ['Invalid data. Expected a dictionary.'] });
  });
});

describe('every operation that needs credentials', () => {
  const secured = loadContract('djaoapp').operations.filter((op) => op.security.length > 0);
  const params = {
    user: 'xia',
    rule: '/app/',
    slug: '_my-element_',
    agreement: 'terms-of-use',
    template: 'user_registered_notice',
    organization: 'cowork',
    role: 'manager',
    plan: 'open-space',
    subscriber: 'xia',
    subscribed_plan: 'open-space',
    request_key: 'no-such-key',
    verification_key: 'no-such-key',
    coupon: 'DIS100',
    report: 'taxes',
    rank: '1',
  };
  it.for(secured.map((op) => op.operationId))(
    '%s answers 401 without credentials and with a token that does not verify',
    async (operationId, ctx) => {
      const op = t.operation(operationId);
      const names = op.parameters.filter((p) => p.in === 'path').map((p) => p.name);
      const path = Object.fromEntries(names.map((n) => [n, params[n as keyof typeof params]]));
      const body = op.requestBody && Object.keys(op.requestBody.content)[0] === 'application/json' ? {} : undefined;
      for (const headers of [{}, bearer('not.a.token')]) {
        const url = expandPath(op.path, path);
        const res = await t.send(op.method.toUpperCase(), url, { headers, ...(body ? { body } : {}) }, op);
        ctx.skip(
          isNotServed(res),
          `not served by this target: ${op.method.toUpperCase()} ${op.path} is a ${res.status} ${res.headers.get('content-type') ?? ''} page`,
        );
        t.check(operationId, url, res);
        await expectSignInRequired(ctx, res);
      }
    },
  );
});
