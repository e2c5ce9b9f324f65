/** Togai account aliases: add (plain and with periods), the 10-alias cap, one account per value, list, remove. */
import { describe, expect } from 'vitest';
import { closedAfterFile } from '../support/target.ts';
import { aliasValue, togaiTarget, createAccountWith, itWithNewAccount } from './target.ts';

const { target: t, credentials: creds } = closedAfterFile(await togaiTarget());

const createAccount = (fields: Record<string, unknown> = {}) =>
  createAccountWith(t, creds.headers, 'alias', { name: 'Alias Account', customerId: 'CUST-ALIAS', ...fields });
const add = (id: string, body: unknown) =>
  t.call('add_aliases', { headers: creds.headers, params: { account_id: id }, body });
const remove = (id: string, body: unknown) =>
  t.call('remove_aliases', { headers: creds.headers, params: { account_id: id }, body });
const list = (id: string) => t.call('list_account_aliases', { headers: creds.headers, params: { account_id: id } });

const it = itWithNewAccount(createAccount);

describe('POST /accounts/{account_id}/add_aliases', () => {
  it('adds plain aliases and returns the account with them', async ({ account }) => {
    const [a, b] = [aliasValue('mail'), aliasValue('phone')];
    const res = await add(account.id, { aliases: [a, b] });
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(account.id);
    expect(res.body.aliases).toEqual([{ alias: a }, { alias: b }]);
  });

  it('adds aliases with effective periods; a future alias is listed but not yet on the account', async ({
    account,
  }) => {
    const future = aliasValue('future');
    const res = await add(account.id, {
      accountAliases: [
        { value: future, effectiveFrom: '2090-01-01T00:00:00Z', effectiveUntil: '2091-01-01T00:00:00Z' },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.aliases).toEqual([]);
    const listed = await list(account.id);
    expect(listed.body.data).toEqual([
      expect.objectContaining({
        value: future,
        effectiveFrom: expect.stringMatching(/^2090-01-01T00:00:00(\.000)?Z$/),
        effectiveUntil: expect.stringMatching(/^2091-01-01/),
      }),
    ]);
  });

  it('lets one value move between accounts for periods that do not overlap, and refuses overlaps (400)', async () => {
    const value = aliasValue('shared');
    const first = await createAccount();
    const second = await createAccount();
    expect(
      (
        await add(first.id, {
          accountAliases: [{ value, effectiveFrom: '2040-01-01T00:00:00Z', effectiveUntil: '2041-01-01T00:00:00Z' }],
        })
      ).status,
    ).toBe(200);
    const later = await add(second.id, {
      accountAliases: [{ value, effectiveFrom: '2041-01-01T00:00:00Z', effectiveUntil: '2042-01-01T00:00:00Z' }],
    });
    expect(later.status).toBe(200);
    const overlapping = await add(second.id, {
      accountAliases: [{ value, effectiveFrom: '2040-06-01T00:00:00Z', effectiveUntil: '2040-07-01T00:00:00Z' }],
    });
    expect(overlapping.status).toBe(400);
    expect(overlapping.body.message).toContain(value);
    expect((await list(second.id)).body.data).toHaveLength(1);
  });

  it('refuses an 11th alias (400) and keeps the 10', async () => {
    const account = await createAccount({ aliases: Array.from({ length: 8 }, (_, i) => aliasValue(`cap${i}`)) });
    expect((await add(account.id, { aliases: [aliasValue('cap8'), aliasValue('cap9')] })).status).toBe(200);
    const eleventh = await add(account.id, { aliases: [aliasValue('cap10')] });
    expect(eleventh.status).toBe(400);
    expect(eleventh.body.message).toMatch(/10/);
    expect((await list(account.id)).body.data).toHaveLength(10);
  });

  it.for([
    ['an empty request', {}],
    ['an empty list', { aliases: [] }],
    ['a value under 3 characters', { aliases: ['ab'] }],
    ['a timed value under 3 characters', { accountAliases: [{ value: 'ab' }] }],
    ['a value over 50 characters', { aliases: ['z'.repeat(51)] }],
    [
      'a period that ends before it starts',
      {
        accountAliases: [
          { value: 'backwards-alias', effectiveFrom: '2030-01-01T00:00:00Z', effectiveUntil: '2029-01-01T00:00:00Z' },
        ],
      },
    ],
    ['an unknown field', { alias: ['abc'] }],
  ])('answers 400 for %s', async ([, body], { account }) => {
    const res = await add(account.id, body);
    expect(res.status).toBe(400);
    expect((await list(account.id)).body.data).toEqual([]);
  });

  it('answers 404 for an unknown account', async () => {
    expect((await add('NO-SUCH-ACCOUNT-4', { aliases: ['abc-def'] })).status).toBe(404);
  });
});

describe('GET /accounts/{account_id}/account_aliases', () => {
  it('lists every alias record with its id and period', async () => {
    const value = aliasValue('listed');
    const account = await createAccount({ aliases: [value] });
    const res = await list(account.id);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([
      {
        id: expect.any(String),
        value,
        effectiveFrom: expect.any(String),
        effectiveUntil: expect.any(String),
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      },
    ]);
  });

  it('answers 404 for an unknown account', async () => {
    const res = await list('NO-SUCH-ACCOUNT-5');
    expect(res.status).toBe(404);
    expect(typeof res.body.message).toBe('string');
  });
});

describe('POST /accounts/{account_id}/remove_aliases', () => {
  it('removes by value: the alias is off the account and its record ends', async () => {
    const [keep, drop] = [aliasValue('keep'), aliasValue('drop')];
    const account = await createAccount({ aliases: [keep, drop] });
    const res = await remove(account.id, { aliases: [drop] });
    expect(res.status).toBe(200);
    expect(res.body.aliases).toEqual([{ alias: keep }]);
    const records = (await list(account.id)).body.data;
    const ended = records.find((r: any) => r.value === drop);
    if (ended) expect(new Date(ended.effectiveUntil).getTime()).toBeLessThan(Date.parse('9000-01-01'));
  });

  it('removes by alias id from a given instant', async () => {
    const value = aliasValue('byid');
    const account = await createAccount({ accountAliases: [{ value, effectiveFrom: '2020-01-01T00:00:00Z' }] });
    const [record] = (await list(account.id)).body.data;
    const res = await remove(account.id, { accountAliases: [{ id: record.id, from: '2035-01-01T00:00:00Z' }] });
    expect(res.status).toBe(200);
    expect(res.body.aliases).toEqual([{ alias: value }]);
    const after = (await list(account.id)).body.data[0];
    expect(after.effectiveUntil).toMatch(/^2035-01-01T00:00:00(\.000)?Z$/);
    const then = await t.call('get_account', {
      headers: creds.headers,
      params: { account_id: account.id },
      query: { effectiveOn: '2036-01-01T00:00:00Z' },
    });
    expect(then.body.aliases).toEqual([]);
  });

  it('answers 400 for a value or an id the account does not hold, removing nothing', async () => {
    const value = aliasValue('held');
    const account = await createAccount({ aliases: [value] });
    for (const body of [
      { aliases: ['not-my-alias'] },
      { accountAliases: [{ id: '00000000-0000-4000-8000-000000000000' }] },
      { aliases: [value, 'not-my-alias'] },
      {},
    ]) {
      const res = await remove(account.id, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect(
      (await t.call('get_account', { headers: creds.headers, params: { account_id: account.id } })).body.aliases,
    ).toEqual([{ alias: value }]);
  });

  it('answers 404 for an unknown account', async () => {
    expect((await remove('NO-SUCH-ACCOUNT-6', { aliases: ['abc-def'] })).status).toBe(404);
  });
});
