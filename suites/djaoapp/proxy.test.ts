/**
 * DjaoApp rules (djaodjin-rules) and themes: the app's forwarding settings, access rules, engagement, the session
 * forwarded for a user, recent logins, theme packages and editable tags. All of it is for the broker's managers.
 */
import { describe, expect } from 'vitest';
import { it } from './session.ts';
import { jwtPayload } from './target.ts';
import { expectStatus } from '../support/target.ts';

describe('GET, PUT /api/proxy/', () => {
  it('reads the app and updates the entry point and session encoding; GET shows what was written', async ({
    t,
    manager,
  }) => {
    const app = await t.call('proxy_app_retrieve', { headers: manager });
    expect(app.status).toBe(200);
    expect(app.body).toMatchObject({ slug: expect.any(String), entry_point: expect.any(String) });
    const res = await t.call('proxy_app_update', {
      headers: manager,
      body: { entry_point: 'https://app.example.com/', session_backend: 2, welcome_email: false },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      entry_point: 'https://app.example.com/',
      session_backend: 2,
      welcome_email: false,
    });
    expect((await t.call('proxy_app_retrieve', { headers: manager })).body).toEqual(res.body);
    await t.call('proxy_app_update', {
      headers: manager,
      body: {
        entry_point: app.body.entry_point,
        session_backend: app.body.session_backend,
        welcome_email: app.body.welcome_email,
      },
    });
  });

  it('answers 400 for an entry point that is not a URL or an unknown session encoding, and keeps the app', async ({
    t,
    manager,
  }) => {
    const before = (await t.call('proxy_app_retrieve', { headers: manager })).body;
    const res = await t.call('proxy_app_update', {
      headers: manager,
      body: { entry_point: 'not a url', session_backend: 7 },
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ entry_point: ['Enter a valid URL.'], session_backend: ['"7" is not a valid choice.'] });
    const wrongType = await t.call('proxy_app_update', { headers: manager, body: { welcome_email: 'no' } });
    expect(wrongType.body).toEqual({ welcome_email: ['Must be a valid boolean.'] });
    expect((await t.call('proxy_app_retrieve', { headers: manager })).body).toEqual(before);
  });
});

describe('access rules: /api/proxy/rules and /api/proxy/rules{rule}', () => {
  it('creates a rule, reads it by its path, updates it, lists it by rank, deletes it (then 404)', async ({
    t,
    manager,
  }) => {
    const created = await t.call('proxy_rules_create', {
      headers: manager,
      body: { rank: 5, path: '/billing/', allow: 'is_manager', is_forward: false, engaged: 'billing' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      rank: 5,
      path: '/billing/',
      allow: 'is_manager',
      is_forward: false,
      engaged: 'billing',
    });
    const read = await t.call('proxy_rules_retrieve', { params: { rule: '/billing/' }, headers: manager });
    expect(read.body).toEqual(created.body);
    const updated = await t.call('proxy_rules_update', {
      params: { rule: '/billing/' },
      headers: manager,
      body: { rank: 1, allow: 'authenticated' },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toEqual({
      rank: 1,
      path: '/billing/',
      allow: 'authenticated',
      is_forward: false,
      engaged: 'billing',
    });
    const list = await t.call('proxy_rules_list', { headers: manager });
    const ranks = list.body.results.map((r: any) => r.rank);
    expect([...ranks].sort((a: number, b: number) => a - b)).toEqual(ranks);
    expect(list.body.results).toContainEqual(updated.body);
    expect((await t.call('proxy_rules_destroy', { params: { rule: '/billing/' }, headers: manager })).status).toBe(204);
    expect((await t.call('proxy_rules_retrieve', { params: { rule: '/billing/' }, headers: manager })).status).toBe(
      404,
    );
    expect((await t.call('proxy_rules_destroy', { params: { rule: '/billing/' }, headers: manager })).status).toBe(404);
  });

  it('defaults allow, is_forward and engaged', async ({ t, manager }) => {
    const res = await t.call('proxy_rules_create', { headers: manager, body: { rank: 9, path: '/docs/' } });
    expect(res.body).toEqual({ rank: 9, path: '/docs/', allow: 'authenticated', is_forward: true, engaged: '' });
  });

  it('answers 400 for a path that already has a rule, a missing rank or path, a path without a leading slash', async ({
    t,
    manager,
  }) => {
    const count = (await t.call('proxy_rules_list', { headers: manager })).body.count;
    const dup = await t.call('proxy_rules_create', { headers: manager, body: { rank: 0, path: '/docs/' } });
    expect(dup.status).toBe(400);
    expect(dup.body).toEqual({ path: ['A rule with this path already exists.'] });
    const missing = await t.call('proxy_rules_create', { headers: manager, body: {} });
    expect(missing.body).toEqual({ rank: ['This field is required.'], path: ['This field is required.'] });
    const relative = await t.call('proxy_rules_create', { headers: manager, body: { rank: 0, path: 'docs' } });
    expect(relative.status).toBe(400);
    const noRank = await t.call('proxy_rules_update', {
      params: { rule: '/docs/' },
      headers: manager,
      body: { allow: 'public' },
    });
    expect(noRank.body).toEqual({ rank: ['This field is required.'] });
    expect((await t.call('proxy_rules_list', { headers: manager })).body.count).toBe(count);
  });

  it('answers 404 for a path without a rule', async ({ t, manager }) => {
    expect((await t.call('proxy_rules_retrieve', { params: { rule: '/nowhere/' }, headers: manager })).status).toBe(
      404,
    );
    await expectStatus(
      404,
      t.call('proxy_rules_update', { params: { rule: '/nowhere/' }, headers: manager, body: { rank: 1 } }),
    );
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
  it('shows the session forwarded for a user, signed with the app key; rotating the key changes the signature', async ({
    t,
    creds,
    manager,
  }) => {
    const before = await t.call('proxy_sessions_retrieve', {
      params: { user: creds.member.username },
      headers: manager,
    });
    expect(before.status).toBe(200);
    expect(JSON.parse(before.body.forward_session)).toMatchObject({ username: creds.member.username });
    const token = before.body.forward_session_header.replace(/^Authorization: Bearer /, '');
    expect(jwtPayload(token)).toMatchObject({ username: creds.member.username });
    const app = await t.call('proxy_app_retrieve', { headers: manager });
    expect(before.body.forward_url).toBe(app.body.entry_point);
    const rotated = await t.call('proxy_key_rotate', { headers: manager });
    expect(rotated.status).toBe(200);
    expect(rotated.body.enc_key).toEqual(expect.any(String));
    const after = await t.call('proxy_sessions_retrieve', {
      params: { user: creds.member.username },
      headers: manager,
    });
    expect(after.body.forward_session_header.split('.').pop()).not.toBe(
      before.body.forward_session_header.split('.').pop(),
    );
  });

  it('answers 404 for an unknown user', async ({ t, manager }) => {
    await expectStatus(404, t.call('proxy_sessions_retrieve', { params: { user: 'no-such-user' }, headers: manager }));
  });
});

describe('themes', () => {
  const boundary = 'standin-boundary';
  const multipart = (name: string, content: string) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/zip\r\n\r\n${content}\r\n--${boundary}--\r\n`;
  const formHeaders = { 'content-type': `multipart/form-data; boundary=${boundary}` };

  it('uploads a theme package (multipart "file") and resets to the default theme', async ({ t, manager }) => {
    const res = await t.call('themes_upload', {
      headers: { ...manager, ...formHeaders },
      rawBody: multipart('cowork-theme.zip', 'PK\u0003\u0004 theme'),
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ name: 'cowork-theme.zip', size: 10 });
    expect((await t.call('themes_reset', { headers: manager })).status).toBe(204);
  });

  it('answers 400 without a file or with something else than a zip, 415 for JSON', async ({ t, manager }) => {
    const none = await t.call('themes_upload', {
      headers: { ...manager, ...formHeaders },
      rawBody: `--${boundary}\r\nContent-Disposition: form-data; name="x"\r\n\r\n1\r\n--${boundary}--\r\n`,
    });
    expect(none.status).toBe(400);
    expect(none.body).toEqual({ file: ['No file was submitted.'] });
    const notZip = await t.call('themes_upload', {
      headers: { ...manager, ...formHeaders },
      rawBody: multipart('theme.txt', 'hello'),
    });
    expect(notZip.status).toBe(400);
    const json = await t.call('themes_upload', {
      headers: { ...manager, 'content-type': 'application/json' },
      rawBody: '{}',
    });
    expect(json.status).toBe(415);
  });

  it('removes a tag from an editable element; 404 for an unknown element', async ({ t, manager }) => {
    const res = await t.call('themes_editables_remove_tags', {
      params: { slug: '_my-element_' },
      headers: manager,
      body: { tag: 'sometag' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
    await expectStatus(
      404,
      t.call('themes_editables_remove_tags', {
        params: { slug: 'no-such-element' },
        headers: manager,
        body: { tag: 'x' },
      }),
    );
    const badTag = await t.call('themes_editables_remove_tags', {
      params: { slug: '_my-element_' },
      headers: manager,
      body: { tag: 5 },
    });
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
