/** Who may act on which organization or workspace, with the message each endpoint gives when not. */
import type { ApiError, ContextOf, OperationReply } from '../../core/plugin.ts';
import type { components, operations } from './contract.d.ts';
import { ADMIN_REQUIRED, forbidden } from './errors.ts';
import type { Organization, Principal, TogglState, User, Workspace } from './state.ts';
import { entryOf } from '../../core/records.ts';

export type OperationId = keyof operations;
/** The context of the handler of one operation (`Ctx<'get_currencies'>`), or of code any operation may call (`Ctx`). */
export type Ctx<Id extends OperationId | undefined = undefined> = ContextOf<TogglState, Principal, operations, Id>;
/** The contract's schemas (components.schemas). */
export type Schemas = components['schemas'];
/** A reply the contract declares for the operation. */
export type Reply<Id extends OperationId> = OperationReply<operations[Id]>;

export function caller(ctx: Ctx): User {
  if (!ctx.principal.user) throw new Error('toggl: an authenticated operation ran without a user');
  return ctx.principal.user;
}

export interface Denials {
  /** The id names nothing. */
  unknown: ApiError;
  /** The caller is not a member. */
  outsider?: ApiError;
  /** The caller is a member but not an admin (only checked when given). */
  notAdmin?: ApiError;
}

export function isOrgAdmin(org: Organization, user: User): boolean {
  return org.admin_ids.includes(user.id) || org.owner_id === user.id;
}

export function isWorkspaceAdmin(state: TogglState, ws: Workspace, user: User): boolean {
  const org = state.organizations[String(ws.organization_id)];
  return ws.admin_ids.includes(user.id) || Boolean(org && isOrgAdmin(org, user));
}

/** The organization of the path, once the caller passed the checks. */
export function organizationFor(ctx: Ctx & { params: { organization_id: number } }, denials: Denials): Organization {
  const user = caller(ctx);
  const org = entryOf(ctx.state.organizations, ctx.params.organization_id);
  if (!org) throw denials.unknown;
  if (!org.user_ids.includes(user.id)) throw denials.outsider ?? denials.unknown;
  if (denials.notAdmin && !isOrgAdmin(org, user)) throw denials.notAdmin;
  return org;
}

/** The workspace of the path, once the caller passed the checks. */
export function workspaceFor(
  ctx: Ctx & { params: { workspace_id: number } },
  denials: Denials,
): { workspace: Workspace; organization: Organization } {
  const user = caller(ctx);
  const workspace = entryOf(ctx.state.workspaces, ctx.params.workspace_id);
  if (!workspace) throw denials.unknown;
  const organization = ctx.state.organizations[String(workspace.organization_id)]!;
  if (!workspace.user_ids.includes(user.id) && !isOrgAdmin(organization, user))
    throw denials.outsider ?? denials.unknown;
  if (denials.notAdmin && !isWorkspaceAdmin(ctx.state, workspace, user)) throw denials.notAdmin;
  return { workspace, organization };
}

/** Admin-only organization endpoints answer the same 403 to outsiders and plain members. */
export const orgAdmin = (): Denials => ({ unknown: forbidden(ADMIN_REQUIRED), notAdmin: forbidden(ADMIN_REQUIRED) });
export const wsAdmin = (): Denials => ({ unknown: forbidden(ADMIN_REQUIRED), notAdmin: forbidden(ADMIN_REQUIRED) });
