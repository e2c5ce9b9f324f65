/** Shared lookups of the handlers: the caller's tenant, accounts and ids. */
import type { ContextOf, StatusReply } from '../../core/plugin.ts';
import type { operations } from './contract.d.ts';
import { badRequest, notFound } from './errors.ts';
import { nextId } from './ids.ts';
import type { Principal, StoredAccount, TogaiState } from './state.ts';
import { entryOf, entryOrCreate } from '../../core/records.ts';

export type OperationId = keyof operations;
/** The context of the handler of one operation (`Ctx<'get_account'>`), or of code any operation may call (`Ctx`). */
export type Ctx<Id extends OperationId | undefined = undefined> = ContextOf<TogaiState, Principal, operations, Id>;
/**
 * A reply with a status the contract declares for the operation. Its body is not checked against the contract yet:
 * the renderers build plain records from a state that keeps plan details as free-form JSON.
 */
export type Reply<Id extends OperationId> = StatusReply<operations[Id]>;

export function tenantOf(ctx: Ctx): string {
  return ctx.principal.tenant.id;
}

export function accountsOf(ctx: Ctx): Record<string, StoredAccount> {
  return entryOrCreate(ctx.state.accounts, tenantOf(ctx), () => ({}));
}

/** The account of this id, or a 404; another tenant's accounts do not exist for this caller. */
export function findAccount(ctx: Ctx, id: string): StoredAccount {
  const account = entryOf(accountsOf(ctx), id);
  if (!account) throw notFound(`Account with id ${id} does not exist`);
  return account;
}

/** An account that still accepts changes: archived accounts are read-only. */
export function writableAccount(ctx: Ctx, id: string): StoredAccount {
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
