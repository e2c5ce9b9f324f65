/**
 * DjaoApp CRM and broker pages: contacts and their activities, accounts typeahead, legal agreements, contact-us
 * messages, test notifications and the broker's todos.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { expectStatus, leavesRecords } from '../support/target.ts';
import { disposableUser, expectSignInRequired, sessionOfFile, outbox, skipUnlessServed, unique } from './target.ts';
import { activities, createContact, deleteContact, readUser, recordActivity, updateContact } from './support/users.ts';

const { t, creds, manager, member } = await sessionOfFile();

const run = unique();

/** Deletes a contact a scenario made, unchecked: the target is left as it was found. */
async function removeContact(slug: string): Promise<void> {
  await t.send('DELETE', t.operation('contacts_destroy').path.replace('{user}', encodeURIComponent(slug)), {
    headers: manager,
  });
}

/**
 * A contact for the scenario: a user registered for it (unique per run), deleted when the scenario ends. Registered,
 * not created with POST /api/contacts/: djaodjin-signup 0.5.4 cannot delete a contact without login.
 */
async function scratchContact(prefix: string, onFinished: (fn: () => Promise<void>) => void): Promise<string> {
  return (await disposableUser(t, manager, onFinished, prefix)).username;
}

describe('POST, PUT, DELETE /api/contacts/', () => {
  it('creates a contact, updates it, deletes it (then 404)', async (ctx) => {
    leavesRecords(ctx, 'a contact without login, which djaodjin-signup 0.5.4 cannot update or delete (404)');
    const dana = `dana-${run}`;
    const created = await createContact(t, manager, {
      email: `${dana}@example.com`,
      full_name: 'Dana Scully',
      nick_name: 'Dana',
      extra: '{"source": "fair"}',
    });
    expect(created.status).toBe(201);
    ctx.onTestFinished(() => removeContact(created.body.slug));
    expect(created.body).toMatchObject({
      slug: dana,
      email: `${dana}@example.com`,
      full_name: 'Dana Scully',
      credentials: false,
      extra: '{"source": "fair"}',
      activities: [],
    });
    const updated = await updateContact(t, dana, manager, {
      email: `${dana}@fbi.example.com`,
      full_name: 'Dana K. Scully',
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      slug: dana,
      email: `${dana}@fbi.example.com`,
      full_name: 'Dana K. Scully',
      nick_name: 'Dana',
    });
    expect((await readUser(t, dana, manager)).body.email).toBe(`${dana}@fbi.example.com`);
    expect((await deleteContact(t, dana, manager)).status).toBe(204);
    expect((await readUser(t, dana, manager)).status).toBe(404);
    expect((await deleteContact(t, dana, manager)).status).toBe(404);
  });

  it('answers 400 for a missing or taken e-mail, 404 for an unknown contact, 403 to a non-manager, 401 anonymously', async (ctx) => {
    // What a backend without these rules would delete is made for the scenario; what it would create is a taken e-mail.
    const scratch = await scratchContact('scratch', ctx.onTestFinished);
    const missing = await createContact(t, manager, { full_name: 'Nobody' });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ email: ['This field is required.'] });
    const me = await readUser(t, creds.member.username, member);
    const taken = await createContact(t, manager, { email: me.body.email });
    expect(taken.body).toEqual({ email: 'This e-mail address is already taken.' });
    await expectStatus(404, updateContact(t, 'no-such-user', manager, { email: 'a@example.com' }));
    expect((await createContact(t, member, { email: me.body.email })).status).toBe(403);
    await expectStatus(403, updateContact(t, creds.member.username, member, { email: me.body.email }));
    expect((await deleteContact(t, scratch, member)).status).toBe(403);
    await expectSignInRequired(ctx, await createContact(t, undefined, { email: me.body.email }));
  });
});

describe('GET, POST /api/contacts/{user}/activities/', () => {
  it('records activities (created_by the caller) and lists them oldest first; the user record shows them', async ({
    onTestFinished,
  }) => {
    const contact = await scratchContact('erin', onTestFinished);
    const before = (await activities(t, contact, manager)).body.count;
    const call = await recordActivity(t, contact, manager, { text: 'Demo scheduled', account: 'cowork' });
    expect(call.status).toBe(201);
    expect(call.body).toMatchObject({ text: 'Demo scheduled', account: 'cowork', created_by: creds.manager.username });
    const none = await recordActivity(t, contact, manager, { text: 'Voicemail', account: null });
    expect(none.body.account).toBeNull();
    const list = await activities(t, contact, manager);
    expect(list.body.count).toBe(before + 2);
    expect(list.body.results.slice(-2).map((a: any) => a.text)).toEqual(['Demo scheduled', 'Voicemail']);
    const search = await activities(t, contact, manager, { q: 'demo' });
    expect(search.body.results.map((a: any) => a.text)).toEqual(['Demo scheduled']);
    const user = await readUser(t, contact, manager);
    expect(user.body.activities.map((a: any) => a.text)).toEqual(
      expect.arrayContaining(['Demo scheduled', 'Voicemail']),
    );
  });

  it('answers 400 without account or with an unknown one, 404 for an unknown contact, 403 to a non-manager', async ({
    onTestFinished,
  }) => {
    const contact = await scratchContact('frank', onTestFinished);
    const count = (await activities(t, contact, manager)).body.count;
    const missing = await recordActivity(t, contact, manager, { text: 'x' });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ account: ['This field is required.'] });
    const unknown = await recordActivity(t, contact, manager, { text: 'x', account: 'no-such-profile' });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toEqual({ account: ['Object with slug=no-such-profile does not exist.'] });
    expect((await activities(t, contact, manager)).body.count).toBe(count);
    await expectStatus(404, activities(t, 'no-such-user', manager));
    await expectStatus(404, recordActivity(t, 'no-such-user', manager, { account: null }));
    expect((await activities(t, contact, member)).status).toBe(403);
    await expectStatus(403, recordActivity(t, contact, member, { account: null }));
  });
});

describe('GET /api/accounts/, /api/accounts/profiles/, /api/accounts/users/', () => {
  beforeEach((ctx) =>
    skipUnlessServed(ctx, t, manager, 'accounts_list', 'accounts_profiles_list', 'accounts_users_list'),
  );
  it('lists billing profiles, searched with q and ordered with o/ot', async () => {
    const all = await t.call('accounts_list', { headers: manager });
    expect(all.status).toBe(200);
    expect(all.body.results.map((a: any) => a.slug)).toEqual(expect.arrayContaining(['cowork', creds.member.username]));
    const found = await t.call('accounts_profiles_list', { headers: manager, query: { q: 'cowork' } });
    expect(found.body.results.map((a: any) => a.slug)).toEqual(['cowork']);
    expect(found.body.results[0]).toMatchObject({ type: 'organization', printable_name: expect.any(String) });
    const asc = (await t.call('accounts_list', { headers: manager, query: { o: 'created_at' } })).body.results.map(
      (a: any) => a.slug,
    );
    const desc = (
      await t.call('accounts_list', { headers: manager, query: { o: 'created_at', ot: 'desc' } })
    ).body.results.map((a: any) => a.slug);
    expect(desc).toEqual([...asc].reverse());
  });

  it('lists users, with q and start_at', async () => {
    const res = await t.call('accounts_users_list', { headers: manager, query: { q: creds.otherManager.username } });
    expect(res.status).toBe(200);
    expect(res.body.results.map((u: any) => u.slug)).toContain(creds.otherManager.username);
    const future = await t.call('accounts_users_list', {
      headers: manager,
      query: { start_at: '2999-01-01T00:00:00Z' },
    });
    expect(future.body.count).toBe(0);
  });

  it('answers 403 to a non-manager, 401 anonymously, 404 "Invalid page." past the end', async (ctx) => {
    for (const op of ['accounts_list', 'accounts_profiles_list', 'accounts_users_list']) {
      expect((await t.call(op, { headers: member })).status).toBe(403);
      await expectSignInRequired(ctx, await t.call(op));
      const past = await t.call(op, { headers: manager, query: { page: 99 } });
      expect(past.status).toBe(404);
      expect(past.body).toEqual({ detail: 'Invalid page.' });
      expect((await t.call(op, { headers: manager, query: { page: 0 } })).status).toBe(404);
      expect((await t.call(op, { headers: manager, query: { page_size: 'x' } })).status).toBe(400);
    }
  });
});

describe('POST /api/legal/{agreement}/sign/', () => {
  beforeEach((ctx) => skipUnlessServed(ctx, t, manager, 'legal_sign'));
  it('records the signature with last_signed; signing again updates it', async () => {
    const res = await t.call('legal_sign', {
      params: { agreement: 'terms-of-use' },
      headers: member,
      body: { read_terms: true },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ read_terms: true, last_signed: expect.any(String) });
    if (t.standin) await t.admin('POST', '/clock', { advance: 'PT1M' });
    const again = await t.call('legal_sign', {
      params: { agreement: 'terms-of-use' },
      headers: member,
      body: { read_terms: true },
    });
    expect(Date.parse(again.body.last_signed)).toBeGreaterThanOrEqual(
      Date.parse(res.body.last_signed) + (t.standin ? 60_000 : 0),
    );
  });

  it('answers 400 unless read_terms is true, 404 for an unknown agreement, 401 anonymously', async (ctx) => {
    const no = await t.call('legal_sign', {
      params: { agreement: 'terms-of-use' },
      headers: member,
      body: { read_terms: false },
    });
    expect(no.status).toBe(400);
    expect(no.body).toHaveProperty('read_terms');
    const missing = await t.call('legal_sign', { params: { agreement: 'terms-of-use' }, headers: member, body: {} });
    expect(missing.body).toEqual({ read_terms: ['This field is required.'] });
    const wrongType = await t.call('legal_sign', {
      params: { agreement: 'terms-of-use' },
      headers: member,
      body: { read_terms: 'yes' },
    });
    expect(wrongType.body).toEqual({ read_terms: ['Must be a valid boolean.'] });
    await expectStatus(
      404,
      t.call('legal_sign', { params: { agreement: 'no-such-agreement' }, headers: member, body: { read_terms: true } }),
    );
    await expectSignInRequired(
      ctx,
      await t.call('legal_sign', { params: { agreement: 'terms-of-use' }, body: { read_terms: true } }),
    );
  });
});

describe('POST /api/contact/', () => {
  beforeEach((ctx) => skipUnlessServed(ctx, t, manager, 'contact_us'));
  it('sends the message to the provider, anonymously', async () => {
    const res = await t.call('contact_us', {
      body: { email: 'prospect@example.com', full_name: 'Pro Spect', message: 'Do you have a team plan?' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ detail: 'Your request has been sent. We will reply within24 hours. Thank you.' });
    if (t.standin) {
      const mail = (await outbox(t)).at(-1)!;
      expect(mail).toMatchObject({ template: 'contact_requested_notice', body: 'Do you have a team plan?' });
      expect(mail.context).toMatchObject({ email: 'prospect@example.com', full_name: 'Pro Spect' });
    }
  });

  it('answers 400 naming each missing field', async () => {
    const res = await t.call('contact_us', { body: { message: 'hello' } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ full_name: ['This field is required.'], email: ['This field is required.'] });
  });
});

describe('POST /api/notifications/{template}/', () => {
  beforeEach((ctx) => skipUnlessServed(ctx, t, manager, 'notifications_test'));
  it('sends a test e-mail of the template to the caller', async () => {
    const me = await readUser(t, creds.manager.username, manager);
    const res = await t.call('notifications_test', {
      params: { template: 'user_registered_notice' },
      headers: manager,
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ detail: `Test email sent to ${me.body.email}` });
    if (t.standin)
      expect((await outbox(t)).at(-1)).toMatchObject({ template: 'user_registered_notice', to: [me.body.email] });
  });

  it('answers 404 for an unknown template, 403 to a non-manager, 401 anonymously', async (ctx) => {
    await expectStatus(
      404,
      t.call('notifications_test', { params: { template: 'no_such_template' }, headers: manager }),
    );
    await expectStatus(
      403,
      t.call('notifications_test', { params: { template: 'user_registered_notice' }, headers: member }),
    );
    await expectSignInRequired(
      ctx,
      await t.call('notifications_test', { params: { template: 'user_registered_notice' } }),
    );
  });
});

describe('GET /api/todos/', () => {
  beforeEach((ctx) => skipUnlessServed(ctx, t, manager, 'todos_list'));
  it("lists the broker's todos to a broker manager; 403 to others; 401 anonymously", async (ctx) => {
    const res = await t.call('todos_list', { headers: manager });
    expect(res.status).toBe(200);
    expect(res.body.results.length).toBe(res.body.count);
    expect((await t.call('todos_list', { headers: member })).status).toBe(403);
    await expectSignInRequired(ctx, await t.call('todos_list'));
  });
});
