/**
 * DjaoApp users: the broker's managers list, create, read, update and delete users; a user reads and edits only
 * their own record, notifications and billing profiles.
 */
import { afterAll, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { expectStatus, leavesRecords } from '../support/target.ts';
import {
  disposableUser,
  expectSignInRequired,
  sessionOfFile,
  registerStranger,
  skipUnlessServed,
  unique,
} from './target.ts';
import { createUser, deleteUser, readUser, updateUser, users } from './support/users.ts';
import { expectOrderedByCreation } from './support/lists.ts';

const { t, creds, manager, member } = await sessionOfFile();

const run = unique();
/** The user the creation scenario makes (unique per run); its slug as the target answers it. */
const carla = { email: `carla-${run}+crm@example.com`, slug: `carla-${run}` };

/** Deletes what a scenario created, unchecked: the target is left as it was found. */
async function remove(operationId: string, params: Record<string, string>): Promise<void> {
  const op = t.operation(operationId);
  await t.send(
    op.method.toUpperCase(),
    op.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name]!)),
    { headers: manager },
  );
}
afterAll(() => remove('users_destroy', { user: carla.slug }));

describe('GET /api/users/', () => {
  it("lists users with the fields of the seed's table, paginated {count, next, previous, results}", async () => {
    const res = await users(t, manager);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ count: expect.any(Number), next: null, previous: null });
    expect(res.body.results.length).toBe(res.body.count);
    for (const user of res.body.results) {
      expect(user).toMatchObject({
        slug: expect.any(String),
        printable_name: expect.any(String),
        created_at: expect.any(String),
        credentials: expect.any(Boolean),
      });
      expect(user).toHaveProperty('picture');
      expect(user).toHaveProperty('email');
      expect(user).not.toHaveProperty('activities');
    }
  });

  it('pages with page and page_size; next/previous are absolute URLs; a page past the end is 404 "Invalid page."', async () => {
    const all = (await users(t, manager)).body;
    const first = await users(t, manager, { page_size: 1 });
    expect(first.body.results).toHaveLength(1);
    expect(first.body.count).toBe(all.count);
    expect(first.body.next).toMatch(/^https?:\/\/.+\/api\/users\/\?page_size=1&page=2$/);
    expect(first.body.previous).toBeNull();
    const second = await users(t, manager, { page_size: 1, page: 2 });
    expect(second.body.previous).toMatch(/\/api\/users\/\?page_size=1$/);
    expect(second.body.results[0].slug).not.toBe(first.body.results[0].slug);
    const past = await users(t, manager, { page: all.count + 5 });
    expect(past.status).toBe(404);
    expect(past.body).toEqual({ detail: 'Invalid page.' });
  });

  it("searches with q (comma-separated terms are OR'ed)", async () => {
    const one = await users(t, manager, { q: creds.member.username });
    expect(one.body.results.map((u: any) => u.slug)).toContain(creds.member.username);
    const two = await users(t, manager, { q: `${creds.member.username},${creds.otherManager.username}` });
    expect(two.body.results.map((u: any) => u.slug)).toEqual(
      expect.arrayContaining([creds.member.username, creds.otherManager.username]),
    );
    const none = await users(t, manager, { q: 'zzz-no-such-user-zzz' });
    expect(none.body).toEqual({ count: 0, next: null, previous: null, results: [] });
  });

  it('orders with o and ot (ot=desc reverses; -field reverses one field)', async () => {
    const { desc } = await expectOrderedByCreation(t, 'users_list', manager);
    const minus = (await users(t, manager, { o: '-created_at' })).body.results.map((u: any) => u.created_at);
    expect(minus).toEqual(desc);
  });

  it('filters on created_at with start_at and ends_at', async () => {
    const all = (await users(t, manager)).body.results;
    const pivot = [...all].map((u: any) => u.created_at).sort()[Math.floor(all.length / 2)];
    const after = (await users(t, manager, { start_at: pivot })).body.results;
    expect(after.every((u: any) => u.created_at >= pivot)).toBe(true);
    const before = (await users(t, manager, { ends_at: pivot })).body.results;
    expect(before.every((u: any) => u.created_at < pivot)).toBe(true);
    expect(after.length + before.length).toBe(all.length);
  });

  it('answers 400 for a page_size that is not a number, 403 to a user who is not a broker manager, 401 anonymously', async (ctx) => {
    const bad = await users(t, manager, { page_size: 'many' });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ page_size: ['A valid integer is required.'] });
    const forbidden = await users(t, member);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toEqual({ detail: 'You do not have permission to perform this action.' });
    await expectSignInRequired(ctx, await users(t));
  });
});

describe('POST /api/users/', () => {
  it('creates a user without credentials, slug from the e-mail; it is then listed and readable', async (ctx) => {
    leavesRecords(ctx, 'a user without login, which djaodjin-signup 0.5.4 cannot update or delete (404)');
    const res = await createUser(t, manager, { email: carla.email, full_name: 'Carla Diaz', nick_name: 'Carla' });
    expect(res.status).toBe(201);
    if (typeof res.body?.slug === 'string') carla.slug = res.body.slug;
    expect(res.body).toMatchObject({
      slug: `carla-${run}`,
      email: carla.email,
      full_name: 'Carla Diaz',
      nick_name: 'Carla',
      credentials: false,
      activities: [],
    });
    const read = await readUser(t, carla.slug, manager);
    expect(read.body).toMatchObject({ slug: carla.slug, full_name: 'Carla Diaz' });
    const listed = await users(t, manager, { q: `carla-${run}` });
    expect(listed.body.count).toBe(1);
  });

  it('answers 400 for a taken or malformed e-mail or a missing one, and leaves the users unchanged', async ({
    onTestFinished,
  }) => {
    const holder = await disposableUser(t, manager, onTestFinished, 'holder');
    const before = (await users(t, manager)).body.count;
    const taken = await createUser(t, manager, { email: `${holder.username}@example.com` });
    expect(taken.status).toBe(400);
    expect(taken.body).toEqual({ email: 'This e-mail address is already taken.' });
    const malformed = await createUser(t, manager, { email: 'carla' });
    expect(malformed.body).toEqual({ email: ['Enter a valid email address.'] });
    const missing = await createUser(t, manager, { full_name: 'No Mail' });
    expect(missing.body).toEqual({ email: ['This field is required.'] });
    const wrongType = await createUser(t, manager, { email: 'ok@example.com', full_name: 42 });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body).toEqual({ full_name: ['Not a valid string.'] });
    expect((await users(t, manager)).body.count).toBe(before);
  });

  it('answers 403 to a user who is not a broker manager', async () => {
    // An e-mail already taken: a backend without the rule creates nothing either.
    const me = await readUser(t, creds.member.username, member);
    expect((await createUser(t, member, { email: me.body.email })).status).toBe(403);
  });
});

describe('GET, PUT, DELETE /api/users/{user}/', () => {
  it('a user reads and updates their own record', async () => {
    const me = await readUser(t, creds.member.username, member);
    expect(me.status).toBe(200);
    const nick = `Nick ${run}`;
    const res = await updateUser(t, creds.member.username, member, { email: me.body.email, nick_name: nick });
    try {
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ slug: creds.member.username, nick_name: nick, full_name: me.body.full_name });
      expect((await readUser(t, creds.member.username, member)).body.nick_name).toBe(nick);
    } finally {
      await updateUser(t, creds.member.username, member, { email: me.body.email, nick_name: me.body.nick_name });
    }
  });

  it('a broker manager reads and updates anyone', async ({ onTestFinished }) => {
    const someone = await disposableUser(t, manager, onTestFinished, 'someone');
    expect((await readUser(t, someone.username, manager)).body.slug).toBe(someone.username);
    const email = `${someone.username}@example.org`;
    const res = await updateUser(t, someone.username, manager, { email, full_name: 'Carla D.' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ email, full_name: 'Carla D.' });
  });

  it('answers 403 to a user reading or changing someone else, whether or not they exist', async () => {
    // Someone else is a user registered for the scenario, written with its own e-mail: a backend without the rule
    // loses nothing.
    const other = await registerStranger(t, 'other');
    const email = `${other.username}@example.com`;
    try {
      for (const user of [other.username, 'no-such-user']) {
        const get = await readUser(t, user, member);
        expect(get.status).toBe(403);
        expect(get.body).toEqual({ detail: 'You do not have permission to perform this action.' });
        expect((await updateUser(t, user, member, { email })).status).toBe(403);
        expect((await deleteUser(t, user, member)).status).toBe(403);
      }
    } finally {
      await remove('users_destroy', { user: other.username });
    }
  });

  it('answers 404 to a broker manager for an unknown user', async () => {
    const res = await readUser(t, 'no-such-user', manager);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ detail: 'Not found.' });
    await expectStatus(404, updateUser(t, 'no-such-user', manager, { email: 'a@example.com' }));
    expect((await deleteUser(t, 'no-such-user', manager)).status).toBe(404);
  });

  it('answers 400 for an e-mail taken by another user, and keeps the record', async ({ onTestFinished }) => {
    const someone = await disposableUser(t, manager, onTestFinished, 'someone');
    const other = await readUser(t, creds.manager.username, manager);
    const res = await updateUser(t, someone.username, manager, { email: other.body.email });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ email: 'This e-mail address is already taken.' });
    expect((await readUser(t, someone.username, manager)).body.email).toBe(`${someone.username}@example.com`);
    const missing = await updateUser(t, someone.username, manager, { full_name: 'X' });
    expect(missing.body).toEqual({ email: ['This field is required.'] });
  });

  it('deletes a user: 204, then 404', async ({ onTestFinished }) => {
    const { username } = await disposableUser(t, manager, onTestFinished, 'leaving');
    expect((await deleteUser(t, username, manager)).status).toBe(204);
    expect((await readUser(t, username, manager)).status).toBe(404);
    expect((await deleteUser(t, username, manager)).status).toBe(404);
  });
});

describe('PUT /api/users/{user}/notifications/', () => {
  it('replaces the notifications the user receives', async ({ onTestFinished }) => {
    // A user of the scenario's own: the configured member's choice is not known, so it could not be put back.
    const user = await disposableUser(t, manager, onTestFinished, 'notified');
    const res = await t.call('users_notifications_update', {
      params: { user: user.username },
      headers: user.headers,
      body: { notifications: ['user_registered_notice', 'charge_receipt'] },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ notifications: ['user_registered_notice', 'charge_receipt'] });
    const cleared = await t.call('users_notifications_update', {
      params: { user: user.username },
      headers: user.headers,
      body: { notifications: [] },
    });
    expect(cleared.body).toEqual({ notifications: [] });
  });

  it('answers 400 for an unknown notification or a missing list, 403 for another user', async ({ onTestFinished }) => {
    const unknown = await t.call('users_notifications_update', {
      params: { user: creds.member.username },
      headers: member,
      body: { notifications: ['no_such_notice'] },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toEqual({ notifications: ['"no_such_notice" is not a valid choice.'] });
    const missing = await t.call('users_notifications_update', {
      params: { user: creds.member.username },
      headers: member,
      body: {},
    });
    expect(missing.body).toEqual({ notifications: ['This field is required.'] });
    const wrongType = await t.call('users_notifications_update', {
      params: { user: creds.member.username },
      headers: member,
      body: { notifications: 'charge_receipt' },
    });
    expect(wrongType.body).toEqual({ notifications: ['Expected a list of items.'] });
    // Another user of the scenario's own: a backend without the rule clears nobody's choice.
    const other = await disposableUser(t, manager, onTestFinished, 'other');
    await expectStatus(
      403,
      t.call('users_notifications_update', {
        params: { user: other.username },
        headers: member,
        body: { notifications: [] },
      }),
    );
  });
});

describe('GET, POST /api/users/{user}/profiles/', () => {
  beforeEach((ctx) => skipUnlessServed(ctx, t, manager, 'users_profiles_list', 'users_profiles_create'));
  it('lists the profiles the user manages', async () => {
    const res = await t.call('users_profiles_list', { params: { user: creds.member.username }, headers: member });
    expect(res.status).toBe(200);
    expect(res.body.results.map((p: any) => p.slug)).toContain(creds.member.username);
  });

  it('creates an organization profile managed by the user; it is then listed; a taken slug is 400', async () => {
    const name = `Side Project ${run}`;
    const slug = `side-project-${run}`;
    const res = await t.call('users_profiles_create', {
      params: { user: creds.member.username },
      headers: member,
      body: { full_name: name },
    });
    expect(res.status).toBe(201);
    onTestFinished(() => remove('profiles_destroy', { organization: slug }));
    expect(res.body).toMatchObject({ slug, full_name: name, printable_name: name, type: 'organization' });
    const listed = await t.call('users_profiles_list', {
      params: { user: creds.member.username },
      headers: member,
      query: { q: slug },
    });
    expect(listed.body.results.map((p: any) => p.slug)).toEqual([slug]);
    const taken = await t.call('users_profiles_create', {
      params: { user: creds.member.username },
      headers: member,
      body: { slug, full_name: 'Again' },
    });
    expect(taken.status).toBe(400);
    expect(taken.body).toHaveProperty('slug');
    const personal = await t.call('users_profiles_create', {
      params: { user: creds.member.username },
      headers: member,
      body: { type: 'personal' },
    });
    expect(personal.status).toBe(400);
  });

  it('answers 400 for a bad type or nothing to name the profile; 403 for another user; 404 for an unknown one', async () => {
    const badType = await t.call('users_profiles_create', {
      params: { user: creds.member.username },
      headers: member,
      body: { full_name: 'X', type: 'galaxy' },
    });
    expect(badType.status).toBe(400);
    expect(badType.body).toHaveProperty('type');
    const unnamed = await t.call('users_profiles_create', {
      params: { user: creds.member.username },
      headers: member,
      body: {},
    });
    expect(unnamed.body).toEqual({ full_name: ['This field is required.'] });
    await expectStatus(
      403,
      t.call('users_profiles_list', { params: { user: creds.manager.username }, headers: member }),
    );
    await expectStatus(
      403,
      t.call('users_profiles_create', {
        params: { user: creds.manager.username },
        headers: member,
        body: { full_name: 'Y' },
      }),
    );
    expect((await t.call('users_profiles_list', { params: { user: 'no-such-user' }, headers: manager })).status).toBe(
      404,
    );
  });

  it('a user registered later creates their personal profile under their own slug', async () => {
    const solo = `solo-${run}`;
    const reg = await t.call('auth_register', {
      body: { username: solo, password: 'pw-solo-1', email: `${solo}@example.com`, full_name: 'Solo Person' },
    });
    expect(reg.status).toBe(201);
    onTestFinished(() => remove('users_destroy', { user: solo }));
    const headers = { Authorization: `Bearer ${reg.body.token}` };
    const res = await t.call('users_profiles_create', { params: { user: solo }, headers, body: { type: 'personal' } });
    expect(res.status).toBe(201);
    onTestFinished(() => remove('profiles_destroy', { organization: solo }));
    expect(res.body).toMatchObject({
      slug: solo,
      type: 'personal',
      full_name: 'Solo Person',
      email: `${solo}@example.com`,
    });
  });
});
