/**
 * Every example of seed 001 for the identity, users, contacts, rules and themes operations (extracted to
 * seed-examples.json), sent to the target with the fixture users, gets the seed's answer apart from tokens,
 * generated keys and timestamps. Where the seed contradicts itself the scenario says how, and checks the rest.
 * The examples need the records the seed assumes (joe1's activation key and reset link, xia's activities...):
 * they run against a Standin's fixtures only.
 */
import { beforeEach, describe, expect } from 'vitest';
import { it } from './session.ts';
import { maskIdsAndTimes } from '../support/mask.ts';
import { type SeedRequest, seedExample, sendSeedRequest, withoutFields } from './seed-examples.ts';
import { needsStandin } from '../support/target.ts';
import { jwtPayload } from './target.ts';

/** Masks ids, timestamps, tokens and generated keys. */
function masked(value: unknown): any {
  const generated = new Set(['token', 'secret', 'enc_key', 'last_signed']);
  const walk = (v: any): any =>
    Array.isArray(v)
      ? v.map(walk)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.entries(v).map(([k, x]) => [k, generated.has(k) && typeof x === 'string' ? '<generated>' : walk(x)]),
          )
        : v;
  return walk(maskIdsAndTimes(value));
}

/** The seed's fields all appear, with its values, in the answer. */
function expectSeedFields(actual: unknown, expected: unknown) {
  expect(masked(actual)).toMatchObject(masked(expected));
}

/** Each of the seed's list items is in the answer's results. */
function expectSeedItems(actual: any, expected: any) {
  expect(actual).toMatchObject({ next: null, previous: null });
  for (const item of expected.results)
    expect(masked(actual.results)).toContainEqual(expect.objectContaining(masked(item)));
}

/** Every example here replays the seed's own records. */
const needsSeedFixtures = ({ skip }: Parameters<typeof needsStandin>[0]) =>
  needsStandin({ skip }, "the seed's fixture records (joe1's keys, xia's activities, cowork, the proxy rules)");

/** Who sends a request: the broker's manager (donny) or a member (xia); nobody signed in when absent. */
type Who = 'manager' | 'member';

/** A scenario of one seed example's request, and how its answer matches the seed's. */
interface SeedScenario extends SeedRequest<Who> {
  scenario: string;
  /** The answer has the seed's fields (less those it contradicts), holds the seed's list items, or is the seed's. */
  answer?: 'fields' | 'items' | 'equal';
  /** What the scenario checks instead of, or beyond, the seed's answer. */
  checks?: (answer: any, seedAnswer: any) => void;
}

/** One scenario a seed example, in the table's order. */
function replayEach(scenarios: SeedScenario[]): void {
  for (const { scenario, answer, checks, ...request } of scenarios)
    it(scenario, async ({ t, manager, member }) => {
      const res = await sendSeedRequest(t, request, request.as && { manager, member }[request.as]);
      const seed = seedExample(request.example);
      const expected = withoutFields(seed.response, request.contradicted ?? []);
      if (answer === 'fields') expectSeedFields(res.body, expected);
      if (answer === 'items') expectSeedItems(res.body, expected);
      if (answer === 'equal') expect(res.body).toEqual(expected);
      checks?.(res.body, seed.response);
    });
}

describe('seed 001: authentication examples', () => {
  beforeEach(needsSeedFixtures);
  replayEach([
    {
      scenario: 'POST /api/auth/ logs donny in with a JWT carrying his claims',
      example: 'POST /api/auth/',
      operationId: 'auth_login',
      sendsBody: true,
      status: 201,
      checks: ({ token }) =>
        expect(jwtPayload(token)).toMatchObject({
          username: 'donny',
          full_name: 'Donny Cooper',
          email: 'donny@localhost.localdomain',
        }),
    },
  ]);

  it("GET /api/auth/activate/{key}/ shows joe1, then POST activates him with the seed's body", async ({ t }) => {
    const get = seedExample('GET /api/auth/activate/{verification_key}/');
    const res = await t.call('auth_activate_retrieve', {
      params: { verification_key: '0123456789abcef0123456789abcef' },
    });
    expect(res.status).toBe(200);
    expectSeedFields(res.body, get.response);
    const post = seedExample('POST /api/auth/activate/{verification_key}/');
    const activated = await t.call('auth_activate', {
      params: { verification_key: '0123456789abcef0123456789abcef' },
      body: post.request!.body,
    });
    expect(activated.status).toBe(201);
    expect(jwtPayload(activated.body.token)).toMatchObject({ username: 'joe1', full_name: 'Joe Card1' });
  });

  it('POST /api/auth/logout/ answers 200', async ({ t }) => {
    expect((await t.call('auth_logout')).status).toBe(200);
  });

  replayEach([
    {
      scenario: 'POST /api/auth/recover/ echoes the e-mail address',
      example: 'POST /api/auth/recover/',
      operationId: 'auth_recover',
      sendsBody: true,
      status: 200,
      answer: 'equal',
    },
  ]);

  it("POST /api/auth/reset/{uidb64}/{token}/ sets joe1's password from the seed's link", async ({ t }) => {
    const ex = seedExample('POST /api/auth/reset/{uidb64}/{token}/');
    const res = await t.call('auth_reset', {
      params: { uidb64: '0123456789abcef0123456789abcef', token: 'abc123' },
      body: ex.request!.body,
    });
    expect(res.status).toBe(201);
    expect(jwtPayload(res.body.token).username).toBe('joe1');
  });

  it('POST /api/auth/tokens/ and /tokens/verify/ refresh and verify a token (the seed shows tokens of another site: ours are used)', async ({
    t,
    manager,
  }) => {
    const token = manager.Authorization!.slice('Bearer '.length);
    const refreshed = await t.call('auth_tokens_refresh', { body: { token }, headers: manager });
    expect(refreshed.status).toBe(201);
    expect(jwtPayload(refreshed.body.token).username).toBe('donny');
    const verified = await t.call('auth_tokens_verify', { body: { token }, headers: manager });
    expect(verified.status).toBe(200);
    expect(verified.body).toEqual({ token });
    const seedToken = seedExample('POST /api/auth/tokens/verify/').request!.body.token;
    const foreign = await t.call('auth_tokens_verify', { body: { token: seedToken }, headers: manager });
    expect(foreign.status).toBe(400);
    expect(foreign.body).toEqual(['Error decoding signature.']);
  });

  it('POST /api/auth/register/ registers joe1 once the fixture joe1 is gone', async ({ t, manager }) => {
    expect((await t.call('users_destroy', { params: { user: 'joe1' }, headers: manager })).status).toBe(204);
    const res = await t.call('auth_register', { body: seedExample('POST /api/auth/register/').request!.body });
    expect(res.status).toBe(201);
    expect(jwtPayload(res.body.token)).toMatchObject({
      username: 'joe1',
      email: 'joe+1@example.com',
      full_name: 'Joe Card1',
    });
  });

  replayEach([
    {
      scenario: 'POST /api/contact/ sends the message',
      example: 'POST /api/contact/',
      operationId: 'contact_us',
      sendsBody: true,
      status: 200,
      answer: 'equal',
    },
  ]);
});

describe("seed 001: user credential examples (the fixture password replaces the seed's)", () => {
  beforeEach(needsSeedFixtures);
  it("POST /api/users/donny/activate/ answers the user (the seed shows xia's record under donny's URL)", async ({
    t,
    manager,
  }) => {
    const res = await t.call('users_activate_resend', { params: { user: 'donny' }, headers: manager });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ slug: 'donny', email: 'donny@localhost.localdomain' });
  });

  it('POST /api/users/donny/api-keys/ returns a 64-character secret', async ({ t, creds, manager }) => {
    const res = await t.call('users_api_keys_reset', {
      params: { user: 'donny' },
      headers: manager,
      body: { password: creds.manager.password },
    });
    expect(res.status).toBe(201);
    expect(res.body.secret).toHaveLength(64);
  });

  it("PUT /api/users/donny/password/ and ssh-keys/ answer the seed's sentences", async ({ t, creds, manager }) => {
    const pw = seedExample('PUT /api/users/{user}/password/');
    const res = await t.call('users_password_update', {
      params: { user: 'donny' },
      headers: manager,
      body: { ...pw.request!.body, password: creds.manager.password, new_password: creds.manager.password },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(pw.response);
    const ssh = seedExample('PUT /api/users/{user}/ssh-keys/');
    const key = await t.call('users_ssh_keys_update', {
      params: { user: 'donny' },
      headers: manager,
      body: { ...ssh.request!.body, password: creds.manager.password },
    });
    expect(key.status).toBe(200);
    expect(key.body).toEqual(ssh.response);
  });

  replayEach([
    {
      scenario: 'PUT /api/users/donny/notifications/ (written POST in the seed) stores the list',
      example: 'PUT /api/users/{user}/notifications/',
      operationId: 'users_notifications_update',
      params: { user: 'donny' },
      as: 'manager',
      sendsBody: true,
      status: 200,
      answer: 'equal',
    },
  ]);
});

describe('seed 001: users, contacts and accounts examples', () => {
  beforeEach(needsSeedFixtures);
  replayEach([
    {
      scenario:
        "GET /api/users/?q=xia finds xia (the seed's example shows fields its table and djaodjin-signup 0.5.4 do not list)",
      example: 'GET /api/users/',
      operationId: 'users_list',
      query: { q: 'xia' },
      as: 'manager',
      status: 200,
      answer: 'fields',
      contradicted: ['results.[].full_name', 'results.[].nick_name', 'results.[].activities'],
    },
    {
      scenario: 'GET /api/users/xia answers xia with her activities',
      example: 'GET /api/users/{user}/',
      operationId: 'users_retrieve',
      params: { user: 'xia' },
      as: 'manager',
      status: 200,
      answer: 'fields',
    },
    {
      scenario: 'GET /api/contacts/xia/activities lists the two activities (the seed says count 1 for its two results)',
      example: 'GET /api/contacts/{user}/activities/',
      operationId: 'contacts_activities_list',
      params: { user: 'xia' },
      as: 'manager',
      status: 200,
      checks: (list, seed) => expect(masked(list.results)).toEqual(masked(seed.results)),
    },
    {
      scenario: 'POST /api/contacts/xia/activities/ records an activity without account',
      example: 'POST /api/contacts/{user}/activities/',
      operationId: 'contacts_activities_create',
      params: { user: 'xia' },
      as: 'manager',
      sendsBody: true,
      status: 201,
      answer: 'fields',
    },
    {
      scenario: 'GET /api/users/xia/profiles/?o=created_at lists her personal profile',
      example: 'GET /api/users/{user}/profiles/',
      operationId: 'users_profiles_list',
      params: { user: 'xia' },
      query: { o: 'created_at' },
      as: 'member',
      status: 200,
      answer: 'fields',
    },
    {
      scenario: 'GET /api/accounts/?o=created_at starts with xia (the seed shows only her; cowork follows)',
      example: 'GET /api/accounts/',
      operationId: 'accounts_list',
      query: { o: 'created_at' },
      as: 'manager',
      status: 200,
      checks: (list, seed) => expectSeedFields(list.results[0], seed.results[0]),
    },
    {
      scenario: 'GET /api/accounts/profiles/?q=xia finds xia',
      example: 'GET /api/accounts/profiles/',
      operationId: 'accounts_profiles_list',
      query: { q: 'xia' },
      as: 'manager',
      status: 200,
      answer: 'fields',
    },
    {
      scenario: 'GET /api/accounts/users/?o=created_at&ot=desc includes alice',
      example: 'GET /api/accounts/users/',
      operationId: 'accounts_users_list',
      query: { o: 'created_at', ot: 'desc' },
      as: 'manager',
      status: 200,
      answer: 'items',
    },
    {
      scenario: 'GET /api/todos/ lists "connect processor"',
      example: 'GET /api/todos/',
      operationId: 'todos_list',
      as: 'manager',
      status: 200,
      answer: 'fields',
    },
    {
      scenario: 'POST /api/legal/terms-of-use/sign/ records the signature',
      example: 'POST /api/legal/{agreement}/sign/',
      operationId: 'legal_sign',
      params: { agreement: 'terms-of-use' },
      as: 'member',
      sendsBody: true,
      status: 200,
      answer: 'fields',
    },
    {
      scenario: 'POST /api/users/xia/profiles/ creates myproject',
      example: 'POST /api/users/{user}/profiles/',
      operationId: 'users_profiles_create',
      params: { user: 'xia' },
      as: 'member',
      sendsBody: true,
      status: 201,
      answer: 'fields',
    },
  ]);

  it('PUT /api/users/xia/, DELETE /api/users/xia/, POST /api/users/ (and the same on /api/contacts/) answer the seed', async ({
    t,
    manager,
  }) => {
    for (const [update, destroy, create] of [
      ['users_update', 'users_destroy', 'users_create'],
      ['contacts_update', 'contacts_destroy', 'contacts_create'],
    ] as const) {
      const put = seedExample(update === 'users_update' ? 'PUT /api/users/{user}/' : 'PUT /api/contacts/{user}/');
      const updated = await t.call(update, { params: { user: 'xia' }, headers: manager, body: put.request!.body });
      expect(updated.status).toBe(200);
      expectSeedFields(updated.body, put.response);
      expect((await t.call(destroy, { params: { user: 'xia' }, headers: manager })).status).toBe(204);
      const post = seedExample(create === 'users_create' ? 'POST /api/users/' : 'POST /api/contacts/');
      const created = await t.call(create, { headers: manager, body: post.request!.body });
      expect(created.status).toBe(201);
      expectSeedFields(created.body, post.response);
      expect(created.body.slug).toBe('xia');
    }
  });
});

describe('seed 001: rules and themes examples', () => {
  beforeEach(needsSeedFixtures);
  it('GET /api/proxy/ and PUT /api/proxy/ answer the app', async ({ t, manager }) => {
    const res = await t.call('proxy_app_retrieve', { headers: manager });
    expect(res.status).toBe(200);
    expectSeedFields(res.body, seedExample('GET /api/proxy/').response);
    const put = seedExample('PUT /api/proxy/');
    const updated = await t.call('proxy_app_update', { headers: manager, body: put.request!.body });
    expect(updated.status).toBe(200);
    expectSeedFields(updated.body, put.response);
  });

  replayEach([
    {
      scenario: 'GET /api/proxy/recent/ includes alice, recently logged in',
      example: 'GET /api/proxy/recent/',
      operationId: 'proxy_recent_list',
      as: 'manager',
      status: 200,
      answer: 'items',
    },
    {
      scenario:
        "GET /api/proxy/engagement/ has no engagement in the last 30 days (active_users counts this sandbox's logins)",
      example: 'GET /api/proxy/engagement/',
      operationId: 'proxy_engagement_retrieve',
      as: 'manager',
      status: 200,
      checks: (answer, seed) => expect(answer.engagements).toEqual(seed.engagements),
    },
    {
      scenario: 'GET /api/proxy/engagement/users/ lists alice and kenneth',
      example: 'GET /api/proxy/engagement/users/',
      operationId: 'proxy_engagement_users_list',
      as: 'manager',
      status: 200,
      answer: 'equal',
    },
    {
      scenario: 'POST /api/proxy/key/ rotates the key',
      example: 'POST /api/proxy/key/',
      operationId: 'proxy_key_rotate',
      as: 'manager',
      status: 200,
      answer: 'fields',
    },
  ]);

  it('GET /api/proxy/rules lists the rule on "/"; GET, PUT, DELETE /api/proxy/rules/app/ act on the rule on /app/', async ({
    t,
    manager,
  }) => {
    const list = await t.call('proxy_rules_list', { headers: manager });
    expect(list.status).toBe(200);
    expectSeedItems(list.body, seedExample('GET /api/proxy/rules').response);
    const get = await t.call('proxy_rules_retrieve', { params: { rule: '/app/' }, headers: manager });
    expect(get.status).toBe(200);
    expect(get.body).toEqual(seedExample('GET /api/proxy/rules{rule}').response);
    const put = seedExample('PUT /api/proxy/rules{rule}');
    const updated = await t.call('proxy_rules_update', {
      params: { rule: '/app/' },
      headers: manager,
      body: put.request!.body,
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toEqual(put.response);
    expect((await t.call('proxy_rules_destroy', { params: { rule: '/app/' }, headers: manager })).status).toBe(204);
  });

  it('POST /api/proxy/rules/ creates the rule on "/" once the fixture\'s is deleted', async ({ t, manager }) => {
    expect((await t.call('proxy_rules_destroy', { params: { rule: '/' }, headers: manager })).status).toBe(204);
    const ex = seedExample('POST /api/proxy/rules');
    const res = await t.call('proxy_rules_create', { headers: manager, body: ex.request!.body });
    expect(res.status).toBe(201);
    expect(res.body).toEqual(ex.request!.body);
  });

  it('GET /api/proxy/sessions/xia/ shows the session forwarded for xia', async ({ t, manager }) => {
    const ex = seedExample('GET /api/proxy/sessions/{user}/');
    const res = await t.call('proxy_sessions_retrieve', { params: { user: 'xia' }, headers: manager });
    expect(res.status).toBe(200);
    expect(res.body.forward_url).toBe(ex.response.forward_url);
    expect(JSON.parse(res.body.forward_session)).toMatchObject({ username: 'xia' });
    expect(res.body.forward_session_header).toMatch(/^Authorization: Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    expect(jwtPayload(res.body.forward_session_header.split(' ').pop())).toMatchObject({
      slug: 'xia',
      username: 'xia',
      full_name: 'Xia Lee',
    });
  });

  it("POST /api/notifications/contact_requested_notice/ sends a test e-mail to the caller (the seed's address is its own caller's)", async ({
    t,
    manager,
  }) => {
    const res = await t.call('notifications_test', {
      params: { template: 'contact_requested_notice' },
      headers: manager,
    });
    expect(res.status).toBe(200);
    expect(res.body.detail).toMatch(/^Test email sent to \S+@\S+$/);
  });

  replayEach([
    {
      scenario: 'PUT /api/themes/editables/_my-element_/remove-tags/ answers {}',
      example: 'PUT /api/themes/editables/{slug}/remove-tags/',
      operationId: 'themes_editables_remove_tags',
      params: { slug: '_my-element_' },
      as: 'manager',
      sendsBody: true,
      status: 200,
      answer: 'equal',
    },
  ]);

  it('DELETE /api/themes answers 204', async ({ t, manager }) => {
    expect((await t.call('themes_reset', { headers: manager })).status).toBe(204);
  });
});
