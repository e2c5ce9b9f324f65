/** Shared lookups of the handlers: the caller's tenant, accounts and ids. */
import type { HandlerContext } from '../../core/plugin.ts';
import { badRequest, notFound } from './errors.ts';
import { nextId } from './ids.ts';
import type { Principal, StoredAccount, TogaiState } from './state.ts';
import { entryOf, entryOrCreate } from '../../core/records.ts';

export type Ctx = HandlerContext<TogaiState, Principal>;

export function tenantOf(ctx: Ctx): string {
  return ctx.principal.tenant.id;
}

export function accountsOf(ctx: Ctx): Record<string, StoredAccount> {
  return entryOrCreate(ctx.state.accounts, tenantOf(ctx), () => ({}));
}

/** The account named by the path, or a 404; another tenant's accounts do not exist for this caller. */
export function findAccount(ctx: Ctx, id: string = ctx.params.account_id): StoredAccount {
  const account = entryOf(accountsOf(ctx), id);
  if (!account) throw notFound(`Account with id ${id} does not exist`);
  return account;
}

/** An account that still accepts changes: archived accounts are read-only. */
export function writableAccount(ctx: Ctx, id: string = ctx.params.account_id): StoredAccount {
  const account = findAccount(ctx, id);
  if (account.status === 'ARCHIVED') throw badRequest(`Account ${id} is archived and cannot be modified`);
  return account;
}

export function nowIso(ctx: Ctx): string {
  return ctx.now().toISOString();
}

export function newId(ctx: Ctx, prefix: string): string {
  return nextId(ctx.state, prefix);
}
