/** Handlers of accounts: get_accounts, create_account, get_account, update_account, delete_account. */
import { AliasError, checkNewAliases } from './alias-rules.ts';
import { accountsOf, findAccount, newId, nowIso, tenantOf, writableAccount, type Ctx, type Reply } from './context.ts';
import { badRequest } from './errors.ts';
import { nextUuid } from './ids.ts';
import { decodeToken, encodeToken, pageAfter, pageSizeOf, type PageToken } from './paging.ts';
import { canonical } from './periods.ts';
import { renderAccount } from './render.ts';
import type { AliasRecord, StoredAccount } from './state.ts';
import { entryOrCreate, hasEntry, setEntry } from '../../core/records.ts';

interface AccountFields {
  name?: string;
  invoiceCurrency?: string;
  netTermDays?: number;
  primaryEmail?: string;
  billingInformation?: StoredAccount['billingInformation'];
  address?: StoredAccount['address'];
  metadata?: Record<string, string>;
  tags?: string[];
  status?: 'ACTIVE' | 'DRAFT';
}

/** Tags are kept in lower case, each once, in the order first given. */
export function normaliseTags(tags: string[]): string[] {
  return [...new Set(tags.map((t) => t.trim().toLowerCase()).filter(Boolean))];
}

/** ISO 4217 shape: three letters, stored upper case. */
export function normaliseCurrency(code: string): string {
  if (!/^[A-Za-z]{3}$/.test(code)) throw badRequest(`invoiceCurrency ${code} is not an ISO 4217 currency code`);
  return code.toUpperCase();
}

function checkFields(fields: AccountFields): void {
  if (fields.name !== undefined && fields.name.trim().length < 3)
    throw badRequest('name must have at least 3 characters');
  if (fields.address?.country !== undefined && !/^[A-Za-z]{2}$/.test(fields.address.country))
    throw badRequest(`address.country ${fields.address.country} is not an ISO 3166-1 alpha-2 code`);
}

/**
 * Requested alias periods as canonical instants (400 for dates that do not parse). Plain values start now;
 * accountAliases without effectiveFrom reach back without limit, as Togai documents.
 */
export function aliasRequests(
  aliases: string[] | undefined,
  accountAliases: Array<{ value: string; effectiveFrom?: string; effectiveUntil?: string }> | undefined,
  now: string,
) {
  return [
    ...(aliases ?? []).map((value) => ({ value, from: now })),
    ...(accountAliases ?? []).map((a) => ({
      value: a.value,
      from: a.effectiveFrom === undefined ? undefined : canonical(a.effectiveFrom),
      until: a.effectiveUntil === undefined ? undefined : canonical(a.effectiveUntil),
    })),
  ];
}

export function aliasRecords(
  ctx: Ctx,
  accountId: string,
  planned: Array<{ value: string; effectiveFrom: string; effectiveUntil: string }>,
): AliasRecord[] {
  const now = nowIso(ctx);
  return planned.map((p) => ({ id: nextUuid(ctx.state), accountId, ...p, createdAt: now, updatedAt: now }));
}

function accountJson(
  ctx: Ctx,
  account: StoredAccount,
  options: { at?: string; includeGroupDetails?: boolean } = {},
): Record<string, unknown> {
  return renderAccount(ctx.state, tenantOf(ctx), account, {
    at: options.at ?? nowIso(ctx),
    includeGroupDetails: options.includeGroupDetails,
  });
}

// ---- list -----------------------------------------------------------------------------------------------------

const FILTERS = ['account_id', 'customer_id', 'status', 'invoice_currency'] as const;
const ALLOWED_COMBINATIONS = [
  ['account_id'],
  ['customer_id'],
  ['status'],
  ['invoice_currency'],
  ['customer_id', 'status'],
];

type SortKey = 'account_id' | 'updated_at';

interface ListQuery {
  filters: Record<string, string>;
  search?: string;
  sortBy: SortKey | 'default';
  order: 'asc' | 'desc';
}

function listQuery(ctx: Ctx<'get_accounts'>): ListQuery {
  const filters: Record<string, string> = {};
  for (const name of FILTERS) if (ctx.query[name] !== undefined) filters[name] = String(ctx.query[name]);
  const names = Object.keys(filters).sort();
  if (
    names.length &&
    !ALLOWED_COMBINATIONS.some(
      (combo) => combo.length === names.length && [...combo].sort().every((n, i) => n === names[i]),
    )
  )
    throw badRequest(
      `Filter combination ${names.join(', ')} is not supported; use one of account_id, customer_id, status, invoice_currency, or customer_id with status`,
    );
  const sort = ctx.query._sort;
  const [key, direction] = sort ? sort.split(':') : [];
  return {
    filters,
    search: ctx.query._search,
    sortBy: (key as SortKey | undefined) ?? 'default',
    order: direction ? (direction.toLowerCase() as 'asc' | 'desc') : sort ? 'asc' : 'desc',
  };
}

function matches(account: StoredAccount, q: ListQuery): boolean {
  const f = q.filters;
  if (f.account_id !== undefined && account.id !== f.account_id) return false;
  if (f.customer_id !== undefined && account.customerId !== f.customer_id) return false;
  if (f.status !== undefined && account.status !== f.status) return false;
  if (f.invoice_currency !== undefined && account.invoiceCurrency !== f.invoice_currency.toUpperCase()) return false;
  if (q.search) {
    const needle = q.search.toLowerCase();
    if (![account.id, account.name, account.primaryEmail ?? ''].some((v) => v.toLowerCase().includes(needle)))
      return false;
  }
  return true;
}

/** Keyset of an account under a sort: (sort value, id). */
function keyOf(sortBy: ListQuery['sortBy']) {
  return (a: StoredAccount) => ({ key: sortBy === 'account_id' ? a.id : a.updatedAt, id: a.id });
}

/** The list's order: by key in `order`, then id ascending (id alone when sorting by id). */
export function accountOrder(sortBy: ListQuery['sortBy'], order: 'asc' | 'desc') {
  const sign = order === 'asc' ? 1 : -1;
  return (a: { key: string; id: string }, b: { key: string; id: string }): number => {
    if (sortBy !== 'account_id' && a.key !== b.key) return (a.key < b.key ? -1 : 1) * sign;
    if (a.id === b.id) return 0;
    return (a.id < b.id ? -1 : 1) * (sortBy === 'account_id' ? sign : 1);
  };
}

export function get_accounts(ctx: Ctx<'get_accounts'>): Reply<'get_accounts'> {
  let q: ListQuery;
  let size: number;
  let after: { key: string; id: string } | undefined;
  if (ctx.query.nextToken !== undefined) {
    const token = decodeToken(String(ctx.query.nextToken));
    const stored = token.query ?? {};
    q = {
      filters: Object.fromEntries(Object.entries(stored).filter(([k]) => (FILTERS as readonly string[]).includes(k))),
      search: stored._search,
      sortBy: (token.sortBy as ListQuery['sortBy'] | undefined) ?? 'account_id',
      order: token.sortOrder,
    };
    size = token.pageSize;
    after = { key: token.lastSortValue ?? token.lastItemId, id: token.lastItemId };
  } else {
    q = listQuery(ctx);
    size = pageSizeOf(ctx.query.pageSize);
  }
  const order = accountOrder(q.sortBy, q.order);
  const key = keyOf(q.sortBy);
  const sorted = Object.values(accountsOf(ctx))
    .filter((a) => matches(a, q))
    .sort((a, b) => order(key(a), key(b)));
  const page = pageAfter(sorted, size, after, key, order);
  const now = nowIso(ctx);
  const body: Record<string, unknown> = {
    data: page.items.map((a) => renderAccount(ctx.state, tenantOf(ctx), a, { at: now })),
    context: { pageSize: size, sortOrder: q.order.toUpperCase() },
  };
  if (page.more) {
    const last = key(page.items[page.items.length - 1]!);
    const token: PageToken = {
      lastItemId: last.id,
      pageSize: size,
      sortOrder: q.order,
      sortBy: q.sortBy,
      lastSortValue: last.key,
      query: { ...q.filters, ...(q.search ? { _search: q.search } : {}) },
    };
    body.nextToken = encodeToken(token);
  }
  return { status: 200, body };
}

// ---- single account -------------------------------------------------------------------------------------------

export function create_account(ctx: Ctx<'create_account'>): Reply<'create_account'> {
  const input = ctx.body;
  const tenant = tenantOf(ctx);
  const accounts = accountsOf(ctx);
  if (!input.id.trim()) throw badRequest('id must not be blank');
  if (hasEntry(accounts, input.id)) throw badRequest(`Account with id ${input.id} already exists`);
  checkFields(input);
  const currency = normaliseCurrency(input.invoiceCurrency ?? ctx.principal.tenant.baseCurrency);
  let planned: ReturnType<typeof checkNewAliases>;
  try {
    planned = checkNewAliases(
      ctx.state.aliases[tenant] ?? [],
      input.id,
      aliasRequests(input.aliases, input.accountAliases, nowIso(ctx)),
      nowIso(ctx),
    );
  } catch (error) {
    if (error instanceof AliasError) throw badRequest(error.message);
    throw error;
  }

  const customers = entryOrCreate(ctx.state.customers, tenant, () => ({}));
  const togaiCustomerId = entryOrCreate(customers, input.customerId, () => newId(ctx, 'customer'));
  const now = nowIso(ctx);
  const account: StoredAccount = {
    id: input.id,
    togaiAccountId: newId(ctx, 'account'),
    togaiCustomerId,
    name: input.name,
    customerId: input.customerId,
    invoiceCurrency: currency,
    status: input.status ?? 'ACTIVE',
    createdAt: now,
    updatedAt: now,
  };
  if (input.netTermDays !== undefined) account.netTermDays = input.netTermDays;
  if (input.address !== undefined) account.address = input.address;
  if (input.primaryEmail !== undefined) account.primaryEmail = input.primaryEmail;
  if (input.billingInformation !== undefined) account.billingInformation = input.billingInformation;
  if (input.settings?.length) account.settings = input.settings;
  if (input.metadata !== undefined) account.metadata = input.metadata;
  if (input.tags !== undefined) account.tags = normaliseTags(input.tags);
  setEntry(accounts, account.id, account);
  (ctx.state.aliases[tenant] ??= []).push(...aliasRecords(ctx, account.id, planned));
  return { status: 201, body: accountJson(ctx, account) };
}

export function get_account(ctx: Ctx<'get_account'>): Reply<'get_account'> {
  const account = findAccount(ctx, ctx.params.account_id);
  const at = ctx.query.effectiveOn === undefined ? undefined : canonical(String(ctx.query.effectiveOn));
  return {
    status: 200,
    body: accountJson(ctx, account, { at, includeGroupDetails: ctx.query.includeGroupDetails === true }),
  };
}

export function update_account(ctx: Ctx<'update_account'>): Reply<'update_account'> {
  const account = writableAccount(ctx, ctx.params.account_id);
  const input = ctx.body;
  checkFields(input);
  const currency = input.invoiceCurrency === undefined ? undefined : normaliseCurrency(input.invoiceCurrency);

  if (input.name !== undefined) account.name = input.name;
  if (input.status !== undefined) account.status = input.status;
  if (currency !== undefined) account.invoiceCurrency = currency;
  if (input.netTermDays !== undefined) account.netTermDays = input.netTermDays;
  if (input.primaryEmail !== undefined) account.primaryEmail = input.primaryEmail;
  if (input.billingInformation !== undefined) account.billingInformation = input.billingInformation;
  if (input.address !== undefined) account.address = input.address;
  if (input.tags !== undefined) account.tags = normaliseTags(input.tags);
  if (input.metadata !== undefined) {
    if (Object.keys(input.metadata).length) account.metadata = input.metadata;
    else delete account.metadata;
  }
  account.updatedAt = nowIso(ctx);
  return { status: 200, body: accountJson(ctx, account) };
}

export function delete_account(ctx: Ctx<'delete_account'>): Reply<'delete_account'> {
  const account = findAccount(ctx, ctx.params.account_id);
  if (account.status === 'ARCHIVED') throw badRequest(`Account ${account.id} is already archived`);
  const now = nowIso(ctx);
  const tenant = tenantOf(ctx);
  // Archiving releases the account's aliases from now on, so other accounts can take them.
  ctx.state.aliases[tenant] = (ctx.state.aliases[tenant] ?? []).flatMap((r) => {
    if (r.accountId !== account.id || r.effectiveUntil <= now) return [r];
    if (r.effectiveFrom >= now) return [];
    return [{ ...r, effectiveUntil: now, updatedAt: now }];
  });
  account.status = 'ARCHIVED';
  account.updatedAt = now;
  return { status: 200, body: { success: true } };
}
