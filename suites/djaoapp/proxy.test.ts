/**
 * DjaoApp rules (djaodjin-rules) and themes: the app's forwarding settings, access rules, engagement, the session
 * forwarded for a user, recent logins, theme packages and editable tags. All of it is for the broker's managers.
 */
import { describe, expect } from 'vitest';
import { it } from './session.ts';
import { jwtPayload } from './target.ts';
import { expectStatus } from '../support/target.ts';
import {
  createRule,
  deleteRule,
  forwardedSession,
  proxyApp,
  removeTag,
  rule,
  rules,
  updateProxyApp,
  updateRule,
} from './support/proxy.ts';
import { multipartForm, themePackage } from './support/multipart.ts';

describe('GET, PUT /api/proxy/', () => {
  it('reads the app and updates the entry point and session encoding; GET shows what was written', async ({
    t,
    manager,
  }) => {
    const app = await proxyApp(t, manager);
    expect(app.status).toBe(200);
    expect(app.body).toMatchObject({ slug: expect.any(String), entry_point: expect.any(String) });
    const res = await updateProxyApp(t, manager, {
      entry_point: 'https://app.example.com/',
      session_backend: 2,
      welcome_email: false,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      entry_point: 'https://app.example.com/',
      session_backend: 2,
      welcome_email: false,
    });
    expect((await proxyApp(t, manager)).body).toEqual(res.body);
    await updateProxyApp(t, manager, {
      entry_point: app.body.entry_point,
      session_backend: app.body.session_backend,
      welcome_email: app.body.welcome_email,
    });
  });

  it('answers 400 for an entry point that is not a URL or an unknown session encoding, and keeps the app', async ({
    t,
    manager,
  }) => {
    const before = (await proxyApp(t, manager)).body;
    const res = await updateProxyApp(t, manager, { entry_point: 'not a url', session_backend: 7 });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ entry_point: ['Enter a valid URL.'], session_backend: ['"7" is not a valid choice.'] });
    const wrongType = await updateProxyApp(t, manager, { welcome_email: 'no' });
    expect(wrongType.body).toEqual({ welcome_email: ['Must be a valid boolean.'] });
    expect((await proxyApp(t, manager)).body).toEqual(before);
  });
});

describe('access rules: /api/proxy/rules and /api/proxy/rules{rule}', () => {
  it('creates a rule, reads it by its path, updates it, lists it by rank, deletes it (then 404)', async ({
    t,
    manager,
  }) => {
    const billing = { rank: 5, path: '/billing/', allow: 'is_manager', is_forward: false, engaged: 'billing' };
    const created = await createRule(t, manager, billing);
    expect(created.status).toBe(201);
    expect(created.body).toEqual(billing);
    const read = await rule(t, '/billing/', manager);
    expect(read.body).toEqual(created.body);
    const updated = await updateRule(t, '/billing/', manager, { rank: 1, allow: 'authenticated' });
    expect(updated.status).toBe(200);
    expect(updated.body).toEqual({ ...billing, rank: 1, allow: 'authenticated' });
    const list = await rules(t, manager);
    const ranks = list.body.results.map((r: any) => r.rank);
    expect([...ranks].sort((a: number, b: number) => a - b)).toEqual(ranks);
    expect(list.body.results).toContainEqual(updated.body);
    expect((await deleteRule(t, '/billing/', manager)).status).toBe(204);
    expect((await rule(t, '/billing/', manager)).status).toBe(404);
    expect((await deleteRule(t, '/billing/', manager)).status).toBe(404);
  });

  it('defaults allow, is_forward and engaged', async ({ t, manager }) => {
    const res = await createRule(t, manager, { rank: 9, path: '/docs/' });
    expect(res.body).toEqual({ rank: 9, path: '/docs/', allow: 'authenticated', is_forward: true, engaged: '' });
  });

  it('answers 400 for a path that already has a rule, a missing rank or path, a path without a leading slash', async ({
    t,
    manager,
  }) => {
    const count = (await rules(t, manager)).body.count;
    const dup = await createRule(t, manager, { rank: 0, path: '/docs/' });
    expect(dup.status).toBe(400);
    expect(dup.body).toEqual({ path: ['A rule with this path already exists.'] });
    const missing = await createRule(t, manager, {});
    expect(missing.body).toEqual({ rank: ['This field is required.'], path: ['This field is required.'] });
    const relative = await createRule(t, manager, { rank: 0, path: 'docs' });
    expect(relative.status).toBe(400);
    const noRank = await updateRule(t, '/docs/', manager, { allow: 'public' });
    expect(noRank.body).toEqual({ rank: ['This field is required.'] });
    expect((await rules(t, manager)).body.count).toBe(count);
  });

  it('answers 404 for a path without a rule', async ({ t, manager }) => {
    expect((await rule(t, '/nowhere/', manager)).status).toBe(404);
    await expectStatus(404, updateRule(t, '/nowhere/', manager, { rank: 1 }));
  });
});

describe('GET /api/proxy/engagement/, /api/proxy/engagement/users/, /api/proxy/recent/', () => {
  it('engagement counts active users and tags; engagement/users lists users with their tags', async ({
    t,
    manager,
  }) => {
    const res = await t.call('proxy_engagement_retrieve', { headers: manager });
    expect(res.status).toBe(200);
    expect(res.body.active_users).toBeGreaterThanOrEqual(1);
    const users = await t.call('proxy_engagement_users_list', { headers: manager });
    expect(users.status).toBe(200);
    for (const u of users.body.results)
      expect(u).toEqual({ username: expect.any(String), engagements: expect.any(Array) });
  });

  it('recent lists who logged in, most recent first', async ({ t, creds, manager }) => {
    const res = await t.call('proxy_recent_list', { headers: manager });
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: any) => r.slug).slice(0, 2)).toEqual(
      expect.arrayContaining([creds.manager.username, creds.member.username]),
    );
    const times = res.body.results.map((r: any) => Date.parse(r.created_at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(res.body.results[0].descr).toBe('recently logged in');
  });
});

describe('POST /api/proxy/key/ and GET /api/proxy/sessions/{user}/', () => {
  it("forwards a user's session signed with the app key; a new key re-signs it", async ({ t, creds, manager }) => {
    const before = await forwardedSession(t, creds.member.username, manager);
    expect(before.status).toBe(200);
    expect(JSON.parse(before.body.forward_session)).toMatchObject({ username: creds.member.username });
    const token = before.body.forward_session_header.replace(/^Authorization: Bearer /, '');
    expect(jwtPayload(token)).toMatchObject({ username: creds.member.username });
    const app = await proxyApp(t, manager);
    expect(before.body.forward_url).toBe(app.body.entry_point);
    const rotated = await t.call('proxy_key_rotate', { headers: manager });
    expect(rotated.status).toBe(200);
    expect(rotated.body.enc_key).toEqual(expect.any(String));
    const after = await forwardedSession(t, creds.member.username, manager);
    expect(after.body.forward_session_header.split('.').pop()).not.toBe(
      before.body.forward_session_header.split('.').pop(),
    );
  });

  it('answers 404 for an unknown user', async ({ t, manager }) => {
    await expectStatus(404, forwardedSession(t, 'no-such-user', manager));
  });
});

describe('themes', () => {
  it('uploads a theme package (multipart "file") and resets to the default theme', async ({ t, manager }) => {
    const res = await t.call('themes_upload', {
      ...themePackage(manager, 'cowork-theme.zip', 'PK\u0003\u0004 theme'),
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ name: 'cowork-theme.zip', size: 10 });
    expect((await t.call('themes_reset', { headers: manager })).status).toBe(204);
  });

  it('answers 400 without a file or with something else than a zip, 415 for JSON', async ({ t, manager }) => {
    const none = await t.call('themes_upload', {
      ...multipartForm(manager, 'Content-Disposition: form-data; name="x"', '1'),
    });
    expect(none.status).toBe(400);
    expect(none.body).toEqual({ file: ['No file was submitted.'] });
    const notZip = await t.call('themes_upload', {
      ...themePackage(manager, 'theme.txt', 'hello'),
    });
    expect(notZip.status).toBe(400);
    const json = await t.call('themes_upload', {
      headers: { ...manager, 'content-type': 'application/json' },
      rawBody: '{}',
    });
    expect(json.status).toBe(415);
  });

  it('removes a tag from an editable element; 404 for an unknown element', async ({ t, manager }) => {
    const res = await removeTag(t, '_my-element_', manager, { tag: 'sometag' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
    await expectStatus(404, removeTag(t, 'no-such-element', manager, { tag: 'x' }));
    const badTag = await removeTag(t, '_my-element_', manager, { tag: 5 });
    expect(badTag.status).toBe(400);
  });
});

describe('permissions', () => {
  const calls: Array<[string, Record<string, unknown>]> = [
    ['proxy_app_retrieve', {}],
    ['proxy_app_update', { body: {} }],
    ['proxy_engagement_retrieve', {}],
    ['proxy_engagement_users_list', {}],
    ['proxy_recent_list', {}],
    ['proxy_key_rotate', {}],
    ['proxy_rules_list', {}],
    ['proxy_rules_create', { body: { rank: 0, path: '/x/' } }],
    ['proxy_rules_retrieve', { params: { rule: '/' } }],
    ['proxy_rules_update', { params: { rule: '/' }, body: { rank: 0 } }],
    ['proxy_rules_destroy', { params: { rule: '/' } }],
    ['proxy_sessions_retrieve', { params: { user: 'xia' } }],
    ['themes_reset', {}],
    ['themes_editables_remove_tags', { params: { slug: '_my-element_' }, body: {} }],
  ];
  it.for(calls)(
    '%s: 403 to a user who is not a broker manager, 401 anonymously',
    async ([operation, options], { t, member }) => {
      const forbidden = await t.call(operation, { ...options, headers: member });
      expect(forbidden.status).toBe(403);
      expect(forbidden.body).toEqual({ detail: 'You do not have permission to perform this action.' });
      expect((await t.call(operation, options)).status).toBe(401);
    },
  );

  it('themes_upload: 403 to a non-manager, 401 anonymously', async ({ t, member }) => {
    const headers = { 'content-type': 'multipart/form-data; boundary=b' };
    expect((await t.call('themes_upload', { headers: { ...member, ...headers }, rawBody: '--b--\r\n' })).status).toBe(
      403,
    );
    expect((await t.call('themes_upload', { headers, rawBody: '--b--\r\n' })).status).toBe(401);
  });
});
