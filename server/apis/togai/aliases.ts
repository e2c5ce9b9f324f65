/** Handlers of account aliases: add_aliases, remove_aliases, list_account_aliases. */
import { aliasRecords, aliasRequests } from './accounts.ts';
import { AliasError, checkNewAliases, endAlias } from './alias-rules.ts';
import { findAccount, nowIso, tenantOf, writableAccount, type Ctx, type Reply } from './context.ts';
import { badRequest } from './errors.ts';
import { canonical } from './periods.ts';
import { renderAccount, renderAlias } from './render.ts';

function accountBody(ctx: Ctx, accountId: string): { status: 200; body: Record<string, unknown> } {
  const account = findAccount(ctx, accountId);
  return { status: 200, body: renderAccount(ctx.state, tenantOf(ctx), account, { at: nowIso(ctx) }) };
}

export function add_aliases(ctx: Ctx<'add_aliases'>): Reply<'add_aliases'> {
  const account = writableAccount(ctx, ctx.params.account_id);
  const input = ctx.body;
  if (!input.aliases?.length && !input.accountAliases?.length)
    throw badRequest('Give at least one alias in aliases or accountAliases');
  const tenant = tenantOf(ctx);
  const records = (ctx.state.aliases[tenant] ??= []);
  let planned: ReturnType<typeof checkNewAliases>;
  try {
    planned = checkNewAliases(
      records,
      account.id,
      aliasRequests(input.aliases, input.accountAliases, nowIso(ctx)),
      nowIso(ctx),
    );
  } catch (error) {
    if (error instanceof AliasError) throw badRequest(error.message);
    throw error;
  }
  records.push(...aliasRecords(ctx, account.id, planned));
  account.updatedAt = nowIso(ctx);
  return accountBody(ctx, account.id);
}

export function remove_aliases(ctx: Ctx<'remove_aliases'>): Reply<'remove_aliases'> {
  const account = writableAccount(ctx, ctx.params.account_id);
  const input = ctx.body;
  if (!input.aliases?.length && !input.accountAliases?.length)
    throw badRequest('Give at least one alias in aliases or accountAliases');
  const tenant = tenantOf(ctx);
  const now = nowIso(ctx);
  let records = ctx.state.aliases[tenant] ?? [];
  const mine = () => records.filter((r) => r.accountId === account.id);
  // Resolve everything first: a value or id the account does not hold leaves the store untouched.
  const byValue = (input.aliases ?? []).map((value) => {
    const record =
      mine().find((r) => r.value === value && r.effectiveFrom <= now && now < r.effectiveUntil) ??
      mine().find((r) => r.value === value && r.effectiveUntil > now);
    if (!record) throw badRequest(`Alias ${value} is not an active alias of account ${account.id}`);
    return { record, at: now };
  });
  const byId = (input.accountAliases ?? []).map((request) => {
    const record = mine().find((r) => r.id === request.id);
    if (!record) throw badRequest(`Alias with id ${request.id} does not belong to account ${account.id}`);
    return { record, at: request.from === undefined ? now : canonical(request.from, 'from') };
  });
  for (const { record, at } of [...byValue, ...byId]) {
    const current = records.find((r) => r.id === record.id);
    if (current) records = endAlias(records, current, at, now);
  }
  ctx.state.aliases[tenant] = records;
  account.updatedAt = now;
  return accountBody(ctx, account.id);
}

export function list_account_aliases(ctx: Ctx<'list_account_aliases'>): Reply<'list_account_aliases'> {
  const account = findAccount(ctx, ctx.params.account_id);
  const records = (ctx.state.aliases[tenantOf(ctx)] ?? []).filter((r) => r.accountId === account.id);
  return { status: 200, body: { data: records.map(renderAlias) } };
}
