/** Togai accounts, scenario by scenario: create, read, list (paging, filters, search, sort), update, delete. */
import { describe, expect, it } from 'vitest';
import { closedAfterFile, needsStandin } from '../support/target.ts';
import { togaiStateWithAccounts } from '../../fixtures/togai/generate.ts';
import { accountId, aliasValue, togaiTarget, expectSeedRecord, createAccountWith } from './target.ts';

const { target: t, credentials: creds } = closedAfterFile(await togaiTarget());

const createAccount = (fields: Record<string, unknown> = {}) =>
  createAccountWith(t, creds.headers, 'acc', { name: 'Scenario Account', customerId: 'CUST-SCENARIO', ...fields });

async function getAccount(id: string, query: Record<string, string | boolean> = {}) {
  return t.call('get_account', { headers: creds.headers, params: { account_id: id }, query });
}

describe('POST /accounts', () => {
  it('creates an account with the client-chosen id and server-assigned Togai ids (201)', async () => {
    const id = accountId('create');
    const res = await t.call('create_account', {
      headers: creds.headers,
      body: {
        id,
        name: 'ACME Subsidiary',
        customerId: 'C1234qwd',
        primaryEmail: 'admin@example.com',
        address: { line1: '2281 Broadway Street', city: 'Florence', country: 'US' },
        netTermDays: 30,
        metadata: { gstn: '22AAAAA0000A1Z5' },
        tags: ['Enterprise', 'EU', 'enterprise'],
        settings: [
          { id: 'accountSettingId', value: 'INR', namespace: 'USER', name: 'Settings Name', dataType: 'STRING' },
        ],
      },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      id,
      name: 'ACME Subsidiary',
      customerId: 'C1234qwd',
      status: 'ACTIVE',
      netTermDays: 30,
      metadata: { gstn: '22AAAAA0000A1Z5' },
    });
    expect(res.body.togaiAccountId).toMatch(/^account\.\w+\.\w+$/);
    expect(res.body.togaiCustomerId).toMatch(/^customer\.\w+\.\w+$/);
    expect(res.body.tags).toEqual(['enterprise', 'eu']);
    const read = await getAccount(id);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(res.body);
  });

  it('defaults invoiceCurrency to the tenant base currency and keeps one togaiCustomerId per customer', async (ctx) => {
    needsStandin(ctx, "the fixtures' tenant base currency (USD)");
    const customerId = accountId('same-customer');
    const a = await createAccount({ customerId });
    const b = await createAccount({ customerId, invoiceCurrency: 'eur' });
    expect(a.invoiceCurrency).toBe('USD');
    expect(b.invoiceCurrency).toBe('EUR');
    expect(b.togaiCustomerId).toBe(a.togaiCustomerId);
    expect(b.togaiAccountId).not.toBe(a.togaiAccountId);
  });

  it('stores a primaryEmail that is no e-mail address and a negative netTermDays: Togai documents neither rule', async () => {
    const account = await createAccount({ primaryEmail: 'billing team', netTermDays: -5 });
    expect(account).toMatchObject({ primaryEmail: 'billing team', netTermDays: -5 });
    expect((await getAccount(account.id)).body).toMatchObject({ primaryEmail: 'billing team', netTermDays: -5 });
  });

  it.each([
    ['a primaryEmail over 320 characters', { primaryEmail: `${'a'.repeat(310)}@example.com` }, 'primaryEmail'],
    ['a netTermDays beyond int32', { netTermDays: 2 ** 31 }, 'netTermDays'],
    ['a netTermDays that is not a whole number', { netTermDays: 1.5 }, 'netTermDays'],
  ])('answers 400 naming the field for %s, creating nothing', async (_, fields, field) => {
    const id = accountId('bounds');
    const res = await t.call('create_account', {
      headers: creds.headers,
      body: { id, name: 'Valid name', customerId: 'C', ...fields },
    });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain(field);
    expect((await getAccount(id)).status).toBe(404);
  });

  it('creates a DRAFT account when asked and takes aliases of both kinds', async () => {
    const plain = aliasValue('plain');
    const timed = aliasValue('timed');
    const account = await createAccount({
      status: 'DRAFT',
      aliases: [plain],
      accountAliases: [{ value: timed, effectiveFrom: '2020-01-01T00:00:00Z' }],
    });
    expect(account.status).toBe('DRAFT');
    expect(account.aliases).toEqual([{ alias: plain }, { alias: timed }]);
  });

  it('answers 400 for a duplicate id and leaves the first account as it was', async () => {
    const first = await createAccount({ name: 'Original name' });
    const res = await t.call('create_account', {
      headers: creds.headers,
      body: { id: first.id, name: 'Another', customerId: 'X' },
    });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain(first.id);
    expect((await getAccount(first.id)).body.name).toBe('Original name');
  });

  it.each([
    ['a missing customerId', { id: 'NO-CUSTOMER', name: 'Valid name' }, 'customerId'],
    ['a name under 3 characters', { id: 'SHORT', name: 'ab', customerId: 'C' }, 'name'],
    ['an id over 50 characters', { id: 'X'.repeat(51), name: 'Valid name', customerId: 'C' }, 'id'],
    ['an unknown field', { id: 'UNKNOWN-FIELD', name: 'Valid name', customerId: 'C', colour: 'red' }, 'colour'],
    ['status ARCHIVED', { id: 'ARCHIVED-NEW', name: 'Valid name', customerId: 'C', status: 'ARCHIVED' }, 'status'],
    [
      'an alias under 3 characters',
      { id: 'SHORT-ALIAS', name: 'Valid name', customerId: 'C', aliases: ['ab'] },
      'aliases',
    ],
    [
      'more than 10 aliases',
      {
        id: 'MANY-ALIASES',
        name: 'Valid name',
        customerId: 'C',
        aliases: Array.from({ length: 11 }, (_, i) => `alias-${i}-x`),
      },
      'aliases',
    ],
    [
      'a 4-letter currency',
      { id: 'BAD-CURRENCY', name: 'Valid name', customerId: 'C', invoiceCurrency: 'USDX' },
      'invoiceCurrency',
    ],
  ])('answers 400 naming the field for %s, creating nothing', async (_, body, field) => {
    const res = await t.call('create_account', { headers: creds.headers, body });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain(field);
    const read = await getAccount(String((body as { id: string }).id).slice(0, 50));
    expect(read.status).toBe(404);
  });

  it('answers 400 for malformed JSON and for a non-JSON content type', async () => {
    const bad = await t.call('create_account', {
      headers: { ...creds.headers, 'content-type': 'application/json' },
      rawBody: '{"id": "BROKEN",',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/JSON/i);
    const text = await t.call('create_account', {
      headers: { ...creds.headers, 'content-type': 'text/plain' },
      rawBody: 'id=1',
    });
    expect(text.status).toBe(400);
  });

  it('answers 400 when an alias is already held by another account', async () => {
    const value = aliasValue('taken');
    await createAccount({ aliases: [value] });
    const id = accountId('clash');
    const res = await t.call('create_account', {
      headers: creds.headers,
      body: { id, name: 'Clashing', customerId: 'C', aliases: [value] },
    });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain(value);
    expect((await getAccount(id)).status).toBe(404);
  });
});

describe('GET /accounts/{account_id}', () => {
  it("returns the seed's ACC00001 with its aliases", async (ctx) => {
    const res = await expectSeedRecord(ctx, 'account', getAccount, 'ACC00001', {
      name: 'Primary Account',
      customerId: 'C1234qwd',
      status: 'ACTIVE',
      primaryEmail: 'admin@example.com',
      netTermDays: 45,
      aliases: [{ alias: 'acme_primary' }, { alias: 'acme_1' }],
    });
    expect(res.body.invoiceGroupDetails).toBeUndefined();
  });

  it('adds the invoice group with includeGroupDetails=true', async (ctx) => {
    needsStandin(ctx, "the seed's account ACC00001 and its invoice group");
    const res = await getAccount('ACC00001', { includeGroupDetails: true });
    expect(res.body.invoiceGroupDetails).toMatchObject({
      id: 'ig.20qHVbNqDwN.x7Jwz',
      invoiceCurrency: 'USD',
      dailyInvoiceConsolidation: true,
    });
  });

  it('evaluates aliases at effectiveOn', async () => {
    const value = aliasValue('window');
    const account = await createAccount({
      accountAliases: [{ value, effectiveFrom: '2030-01-01T00:00:00Z', effectiveUntil: '2031-01-01T00:00:00Z' }],
    });
    expect(account.aliases).toEqual([]);
    const inside = await getAccount(account.id, { effectiveOn: '2030-06-01T00:00:00Z' });
    expect(inside.body.aliases).toEqual([{ alias: value }]);
    const after = await getAccount(account.id, { effectiveOn: '2031-01-01T00:00:00Z' });
    expect(after.body.aliases).toEqual([]);
  });

  it('answers 400 for an effectiveOn that is not a date-time', async () => {
    const res = await getAccount('ACC00001', { effectiveOn: 'yesterday' });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('effectiveOn');
  });

  it('answers 404 for an unknown account and for an account id over 50 characters gives 400', async () => {
    const missing = await getAccount('NO-SUCH-ACCOUNT-1');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ message: expect.stringContaining('NO-SUCH-ACCOUNT-1') });
    const long = await getAccount('Y'.repeat(51));
    expect(long.status).toBe(400);
  });

  it("does not show one tenant's account to another (404)", async () => {
    const account = await createAccount();
    const res = await t.call('get_account', { headers: creds.otherHeaders, params: { account_id: account.id } });
    expect(res.status).toBe(404);
  });
});

describe('PATCH /accounts/{account_id}', () => {
  it('changes only the given fields', async () => {
    const account = await createAccount({ primaryEmail: 'old@example.com', netTermDays: 10 });
    const res = await t.call('update_account', {
      headers: creds.headers,
      params: { account_id: account.id },
      body: {
        name: 'New Account Name',
        primaryEmail: 'admin@example.com',
        address: { phoneNumber: '+919876543210', line1: '2281 Broadway Street', city: 'Florence' },
      },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      name: 'New Account Name',
      primaryEmail: 'admin@example.com',
      netTermDays: 10,
      address: { city: 'Florence' },
    });
    expect((await getAccount(account.id)).body).toEqual(res.body);
  });

  it('changes primaryEmail to any string and netTermDays to a negative number, as documented', async () => {
    const account = await createAccount({ primaryEmail: 'old@example.com', netTermDays: 10 });
    const res = await t.call('update_account', {
      headers: creds.headers,
      params: { account_id: account.id },
      body: { primaryEmail: 'accounts payable', netTermDays: -1 },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ primaryEmail: 'accounts payable', netTermDays: -1 });
    expect((await getAccount(account.id)).body).toEqual(res.body);
  });

  it('replaces metadata as a whole and clears it with {}', async () => {
    const account = await createAccount({ metadata: { a: '1', b: '2' } });
    const replaced = await t.call('update_account', {
      headers: creds.headers,
      params: { account_id: account.id },
      body: { metadata: { c: '3' } },
    });
    expect(replaced.body.metadata).toEqual({ c: '3' });
    const cleared = await t.call('update_account', {
      headers: creds.headers,
      params: { account_id: account.id },
      body: { metadata: {} },
    });
    expect(cleared.body.metadata ?? {}).toEqual({});
    const untouched = await t.call('update_account', {
      headers: creds.headers,
      params: { account_id: account.id },
      body: { name: 'Still no metadata' },
    });
    expect(untouched.body.metadata ?? {}).toEqual({});
  });

  it('stores tags lower case and unique, and moves between ACTIVE and DRAFT', async () => {
    const account = await createAccount();
    const res = await t.call('update_account', {
      headers: creds.headers,
      params: { account_id: account.id },
      body: { tags: ['VIP', 'Beta'], status: 'DRAFT' },
    });
    expect(res.body).toMatchObject({ tags: ['vip', 'beta'], status: 'DRAFT' });
    const back = await t.call('update_account', {
      headers: creds.headers,
      params: { account_id: account.id },
      body: { status: 'ACTIVE' },
    });
    expect(back.body.status).toBe('ACTIVE');
  });

  it('answers 400 for status ARCHIVED, duplicate tags, an unknown field or a netTermDays beyond int32, changing nothing', async () => {
    const account = await createAccount({ name: 'Unchanged name' });
    for (const body of [
      { status: 'ARCHIVED' },
      { tags: ['a', 'a'] },
      { nickname: 'x' },
      { name: 'ok name', netTermDays: 'ten' },
      { netTermDays: -(2 ** 31) - 1 },
    ]) {
      const res = await t.call('update_account', { headers: creds.headers, params: { account_id: account.id }, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect((await getAccount(account.id)).body).toEqual(account);
  });

  it('answers 404 for an unknown account', async () => {
    const res = await t.call('update_account', {
      headers: creds.headers,
      params: { account_id: 'NO-SUCH-ACCOUNT-2' },
      body: { name: 'Whatever' },
    });
    expect(res.status).toBe(404);
  });
});

describe('DELETE /accounts/{account_id}', () => {
  it('archives the account and releases its aliases', async () => {
    const value = aliasValue('released');
    const account = await createAccount({ aliases: [value] });
    const res = await t.call('delete_account', { headers: creds.headers, params: { account_id: account.id } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ success: true });
    const read = await getAccount(account.id);
    expect(read.body).toMatchObject({ status: 'ARCHIVED', aliases: [] });
    // the alias is free for another account now
    const next = await createAccount({ aliases: [value] });
    expect(next.aliases).toEqual([{ alias: value }]);
  });

  it('answers 400 for changes to an archived account and for deleting it again', async () => {
    const account = await createAccount();
    await t.call('delete_account', { headers: creds.headers, params: { account_id: account.id } });
    const again = await t.call('delete_account', { headers: creds.headers, params: { account_id: account.id } });
    expect(again.status).toBe(400);
    const update = await t.call('update_account', {
      headers: creds.headers,
      params: { account_id: account.id },
      body: { status: 'ACTIVE' },
    });
    expect(update.status).toBe(400);
    expect((await getAccount(account.id)).body.status).toBe('ARCHIVED');
  });

  it('answers 404 for an unknown account', async () => {
    const res = await t.call('delete_account', { headers: creds.headers, params: { account_id: 'NO-SUCH-ACCOUNT-3' } });
    expect(res.status).toBe(404);
  });
});

describe('GET /accounts', () => {
  it('pages with pageSize and an opaque nextToken, without repeats, in a stable order', async () => {
    const customer = `PAGING-${accountId('c')}`;
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push((await createAccount({ customerId: customer })).id);
    const seen: string[] = [];
    let res = await t.call('get_accounts', { headers: creds.headers, query: { customer_id: customer, pageSize: 2 } });
    expect(res.status).toBe(200);
    expect(res.body.context).toMatchObject({ pageSize: 2 });
    seen.push(...res.body.data.map((a: any) => a.id));
    while (res.body.nextToken) {
      res = await t.call('get_accounts', { headers: creds.headers, query: { nextToken: res.body.nextToken } });
      expect(res.status).toBe(200);
      expect(res.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.data.map((a: any) => a.id));
    }
    expect(seen.sort()).toEqual([...ids].sort());
  });

  it('sorts by updated_at descending by default and by account_id with _sort', async () => {
    const customer = `SORT-${accountId('c')}`;
    const a = await createAccount({ customerId: customer, id: `${customer}-b` });
    const b = await createAccount({ customerId: customer, id: `${customer}-a` });
    // Timestamps have millisecond precision: an update within b's millisecond would tie with it, and the id decide.
    await new Promise((resolve) => setTimeout(resolve, 10));
    await t.call('update_account', {
      headers: creds.headers,
      params: { account_id: a.id },
      body: { name: 'Touched last' },
    });
    const byDefault = await t.call('get_accounts', { headers: creds.headers, query: { customer_id: customer } });
    expect(byDefault.body.data.map((x: any) => x.id)).toEqual([a.id, b.id]);
    const byId = await t.call('get_accounts', {
      headers: creds.headers,
      query: { customer_id: customer, _sort: 'account_id' },
    });
    expect(byId.body.data.map((x: any) => x.id)).toEqual([b.id, a.id]);
    const byIdDesc = await t.call('get_accounts', {
      headers: creds.headers,
      query: { customer_id: customer, _sort: 'account_id:desc' },
    });
    expect(byIdDesc.body.data.map((x: any) => x.id)).toEqual([a.id, b.id]);
  });

  it('filters by account_id, status, invoice_currency and customer_id with status; searches with _search', async () => {
    const customer = `FILTER-${accountId('c')}`;
    const active = await createAccount({ customerId: customer, name: 'Findable Zebra Corp', invoiceCurrency: 'INR' });
    const draft = await createAccount({
      customerId: customer,
      status: 'DRAFT',
      primaryEmail: `zebra-${active.id}@example.com`,
    });
    const one = await t.call('get_accounts', { headers: creds.headers, query: { account_id: active.id } });
    expect(one.body.data.map((x: any) => x.id)).toEqual([active.id]);
    const drafts = await t.call('get_accounts', {
      headers: creds.headers,
      query: { customer_id: customer, status: 'DRAFT' },
    });
    expect(drafts.body.data.map((x: any) => x.id)).toEqual([draft.id]);
    const inr = await t.call('get_accounts', {
      headers: creds.headers,
      query: { invoice_currency: 'INR', pageSize: 100 },
    });
    expect(inr.body.data.map((x: any) => x.id)).toContain(active.id);
    expect(inr.body.data.every((x: any) => x.invoiceCurrency === 'INR')).toBe(true);
    const search = await t.call('get_accounts', {
      headers: creds.headers,
      query: { _search: active.id.toLowerCase() },
    });
    expect(search.body.data.map((x: any) => x.id).sort()).toEqual([active.id, draft.id].sort());
  });

  it('answers 400 for a bad nextToken, an unsupported filter combination, a bad _sort or a pageSize over 100', async () => {
    const queries: Array<Record<string, string | number>> = [
      { nextToken: 'not-a-token!' },
      { nextToken: Buffer.from('{"hello":"world"}').toString('base64') },
      { account_id: 'A', status: 'ACTIVE' },
      { _sort: 'name' },
      { pageSize: 101 },
      { pageSize: 'many' },
      { status: 'GONE' },
    ];
    for (const query of queries) {
      const res = await t.call('get_accounts', { headers: creds.headers, query });
      expect(res.status, JSON.stringify(query)).toBe(400);
      expect(typeof res.body.message).toBe('string');
    }
  });

  it('pages through 300 generated accounts (fixtures/togai/generate.ts) without repeats or gaps', async (ctx) => {
    needsStandin(ctx, 'the admin API, to load 300 generated accounts');
    const before = await t.admin('GET', '/state');
    await t.admin('PUT', '/state', {
      ...before,
      apis: { ...before.apis, togai: togaiStateWithAccounts(300, { seed: 5 }) },
    });
    try {
      const seen: string[] = [];
      let res = await t.call('get_accounts', { headers: creds.headers, query: { pageSize: 100 } });
      seen.push(...res.body.data.map((a: any) => a.id));
      while (res.body.nextToken) {
        res = await t.call('get_accounts', { headers: creds.headers, query: { nextToken: res.body.nextToken } });
        seen.push(...res.body.data.map((a: any) => a.id));
      }
      expect(seen).toHaveLength(302);
      expect(new Set(seen).size).toBe(302);
    } finally {
      await t.admin('PUT', '/state', before);
    }
  });

  it("never lists another tenant's accounts", async () => {
    const mine = await createAccount();
    const theirs = await t.call('get_accounts', { headers: creds.otherHeaders, query: { account_id: mine.id } });
    expect(theirs.status).toBe(200);
    expect(theirs.body.data).toEqual([]);
  });
});
