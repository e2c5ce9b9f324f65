/**
 * The state browser's admin routes (server/core/admin/records.ts), through HTTP: an API's collections opening on its
 * main one, a record read, replaced and deleted, a change that breaks the API's state schema refused with the
 * sandbox unchanged, unknown records 404, and what the schema hides never listed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveStandin, type ServedStandin } from '../support/serve.ts';

const json = { 'content-type': 'application/json' };
const productive = { 'X-Auth-Token': 'productive-test-token', 'X-Organization-Id': '572' };

describe('the state browser admin routes', () => {
  let served: ServedStandin;
  beforeAll(async () => (served = await serveStandin({ apis: ['productive', 'djaoapp', 'togai', 'toggl'] })));
  afterAll(() => served.stop());
  const admin = (path: string, init?: RequestInit) => fetch(`${served.base}/__standin/sandboxes${path}`, init);
  const snapshot = async (sandbox: string) => (await admin(`/${sandbox}/state`)).json();
  const put = (path: string, body: unknown) =>
    admin(path, { method: 'PUT', headers: json, body: JSON.stringify(body) });

  it('opens each API on its main collection, and lists no secret or internal', async () => {
    const mains: Record<string, string> = {};
    for (const api of ['productive', 'djaoapp', 'togai', 'toggl']) {
      const outline = await (await admin(`/default/state/${api}`)).json();
      mains[api] = outline.main;
      const names = [...outline.collections.map((c: { name: string }) => c.name), ...Object.keys(outline.values)];
      expect(names, api).not.toContain('jwt_secret');
      expect(names, api).not.toContain('tokens');
      expect(JSON.stringify(outline), api).not.toMatch(/enc_key|jwt_secret/);
    }
    expect(mains).toEqual({ productive: 'prices', djaoapp: 'profiles', togai: 'accounts', toggl: 'subscriptions' });
    const djaoapp = await (await admin('/default/state/djaoapp')).json();
    expect(djaoapp.values.broker).toBe('cowork');
  });

  it('lists records without their hidden fields, and never a hidden collection', async () => {
    const users = await (await admin('/default/state/djaoapp/users')).json();
    const donny = users.records.find((r: { id: string }) => r.id === 'donny');
    expect(donny.record.email).toBeTruthy();
    expect(donny.record).not.toHaveProperty('password');
    expect(await (await admin('/default/state/djaoapp/users/donny')).json()).not.toHaveProperty('password');
    const hidden = await admin('/default/state/productive/tokens');
    expect(hidden.status).toBe(404);
    expect((await hidden.json()).error).toMatch(/no collection tokens/);
    const togai = await (await admin('/default/state/togai/accounts')).json();
    expect(togai.records.map((r: { path: string[] }) => r.path)).toContainEqual(['tenant-a', 'ACC00001']);
  });

  it('stores a good edit, read back by the API itself', async () => {
    await admin('/edits/reset', { method: 'POST', headers: json });
    const price = await (await admin('/edits/state/productive/prices/1')).json();
    const res = await put('/edits/state/productive/prices/1', { ...price, name: 'Edited in the console' });
    expect(res.status).toBe(200);
    expect((await res.json()).name).toBe('Edited in the console');
    const api = await fetch(`${served.base}/productive/api/v2/prices/1`, {
      headers: { ...productive, 'X-Standin-Sandbox': 'edits' },
    });
    expect(((await api.json()) as { data: { attributes: { name: string } } }).data.attributes.name).toBe(
      'Edited in the console',
    );
    // The fixtures sandboxes share are not what was edited: a new sandbox starts from them.
    await admin('/fresh-after-edit/reset', { method: 'POST', headers: json });
    expect((await (await admin('/fresh-after-edit/state/productive/prices/1')).json()).name).toBe('Price');
  });

  it('keeps a hidden field through an edit, and refuses an edit that names one', async () => {
    await admin('/hidden/reset', { method: 'POST', headers: json });
    const before = (await snapshot('hidden')).apis.djaoapp.users.find((u: { slug: string }) => u.slug === 'donny');
    const user = await (await admin('/hidden/state/djaoapp/users/donny')).json();
    expect((await put('/hidden/state/djaoapp/users/donny', { ...user, full_name: 'Donny D.' })).status).toBe(200);
    const after = (await snapshot('hidden')).apis.djaoapp.users.find((u: { slug: string }) => u.slug === 'donny');
    expect(after).toEqual({ ...before, full_name: 'Donny D.' });
    const refused = await put('/hidden/state/djaoapp/users/donny', { ...user, password: 'x' });
    expect(refused.status).toBe(400);
    expect((await refused.json()).error).toMatch(/password: hidden/);
  });

  it('refuses an edit that breaks the state schema, naming the problem, and stores nothing', async () => {
    await admin('/bad/reset', { method: 'POST', headers: json });
    const before = await snapshot('bad');
    const price = await (await admin('/bad/state/productive/prices/1')).json();
    const res = await put('/bad/state/productive/prices/1', { ...price, rate: 'ten', colour: 'red' });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error).toMatch(/nothing was stored/);
    expect(body.problems.join('\n')).toMatch(/\/prices\/1\/rate must be number/);
    expect(body.problems.join('\n')).toMatch(/"colour", which is not a field/);
    expect(await snapshot('bad')).toEqual(before);
  });

  it('is guarded like the other admin routes: JSON writes only, no other origin', async () => {
    await admin('/guarded/reset', { method: 'POST', headers: json });
    const before = await snapshot('guarded');
    const price = JSON.stringify({ ...before.apis.productive.prices['1'], name: 'from a form' });
    const form = await admin('/guarded/state/productive/prices/1', {
      method: 'PUT',
      headers: { 'content-type': 'text/plain' },
      body: price,
    });
    expect(form.status).toBe(415);
    const foreign = await admin('/guarded/state/productive/prices/1', {
      method: 'PUT',
      headers: { ...json, origin: 'https://evil.example' },
      body: price,
    });
    expect(foreign.status).toBe(403);
    expect((await admin('/guarded/state/djaoapp/users', { headers: { origin: 'https://evil.example' } })).status).toBe(
      403,
    );
    expect(await snapshot('guarded')).toEqual(before);
  });

  it('deletes one record, and answers 404 for a record, collection or API it does not have', async () => {
    await admin('/gone/reset', { method: 'POST', headers: json });
    expect((await admin('/gone/state/djaoapp/profiles/xia', { method: 'DELETE', headers: json })).status).toBe(204);
    const slugs = (await snapshot('gone')).apis.djaoapp.profiles.map((p: { slug: string }) => p.slug);
    expect(slugs).not.toContain('xia');
    expect(slugs).toContain('cowork');
    for (const path of [
      '/gone/state/djaoapp/profiles/xia',
      '/gone/state/productive/prices/999',
      '/gone/state/productive/prices/__proto__',
      '/gone/state/productive/prices/constructor',
      '/gone/state/productive/__proto__/1',
      '/gone/state/togai/accounts/tenant-a/toString',
      '/gone/state/nope/prices/1',
    ]) {
      expect((await admin(path)).status, path).toBe(404);
      expect((await put(path, { id: '1' })).status, path).toBe(404);
    }
    expect((await admin('/nobody/state/productive/prices/1')).status).toBe(404);
  });
});
