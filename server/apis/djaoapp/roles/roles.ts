/**
 * Handlers of /api/profile/{organization}/roles/: role descriptions (describe/), the roles on a profile, grants by
 * slug or e-mail with a grant_key the user accepts, re-sent invites and revocations.
 */
import { detail, fieldErrors, forbidden, notFound } from '../model/errors.ts';
import { inDateRange, matchesSearch, order, paginate, searchTerms } from '../model/lists.ts';
import { sendEmail } from '../model/outbox.ts';
import { isBrokerManager, requireProfileAccess } from '../model/permissions.ts';
import { profileOr404 } from '../model/profiles-store.ts';
import { printableName, renderRole, renderRoleDescription } from '../model/render.ts';
import {
  deleteRoleDescription,
  filterRoleStatus,
  findRoleDescription,
  grantRole,
  roleCounts,
  roleDescriptionSlug,
  roleDescriptionsOf,
} from '../model/roles-store.ts';
import type { DjaoappState, RoleDescriptionRecord, RoleRecord, UserRecord } from '../state.ts';
import { findUserByEmail, invitedUser } from '../model/users-store.ts';
import type { Ctx, OkReply, Query, Reply } from '../model/context.ts';

/** The profile in the URL, once the caller may read it or (`manage`) change it. */
function profileFor(ctx: Ctx & { params: { organization: string } }, access: 'read' | 'manage') {
  const caller = requireProfileAccess(ctx.state, ctx.principal, ctx.params.organization, access);
  return { caller, profile: profileOr404(ctx.state, ctx.params.organization) };
}

function descriptionOr404(ctx: Ctx & { params: { role: string } }, organization: string): RoleDescriptionRecord {
  const description = findRoleDescription(ctx.state, organization, ctx.params.role);
  if (!description) throw notFound();
  return description;
}

// --- role descriptions ---

export function roles_describe_list(ctx: Ctx<'roles_describe_list'>): Reply<'roles_describe_list'> {
  const { profile } = profileFor(ctx, 'read');
  const descriptions = roleDescriptionsOf(ctx.state, profile.slug);
  const page = paginate(descriptions, ctx.request, ctx.query.page, ctx.query.page_size);
  return {
    status: 200,
    body: { ...page, results: page.results.map((d) => renderRoleDescription(ctx.state, d, profile.slug)) },
  };
}

export function roles_describe_create(ctx: Ctx<'roles_describe_create'>): Reply<'roles_describe_create'> {
  const { profile } = profileFor(ctx, 'manage');
  const input = ctx.body;
  const description: RoleDescriptionRecord = {
    slug: roleDescriptionSlug(ctx.state, profile.slug, input.title),
    title: input.title,
    organization: profile.slug,
    skip_optin_on_grant: input.skip_optin_on_grant ?? false,
    implicit_create_on_none: input.implicit_create_on_none ?? false,
    extra: input.extra ?? null,
    created_at: ctx.now().toISOString(),
  };
  ctx.state.role_descriptions.push(description);
  return { status: 201, body: renderRoleDescription(ctx.state, description, profile.slug) };
}

export function roles_describe_retrieve(ctx: Ctx<'roles_describe_retrieve'>): Reply<'roles_describe_retrieve'> {
  const { profile } = profileFor(ctx, 'read');
  return { status: 200, body: renderRoleDescription(ctx.state, descriptionOr404(ctx, profile.slug), profile.slug) };
}

/** A global description belongs to the broker: only the broker's managers change or delete it (else 403). */
function checkChangeable(ctx: Ctx, caller: UserRecord, description: RoleDescriptionRecord): void {
  if (description.organization === null && !isBrokerManager(ctx.state, caller)) throw forbidden();
}

export function roles_describe_update(ctx: Ctx<'roles_describe_update'>): Reply<'roles_describe_update'> {
  const { caller, profile } = profileFor(ctx, 'manage');
  const description = descriptionOr404(ctx, profile.slug);
  checkChangeable(ctx, caller, description);
  const input = ctx.body;
  description.title = input.title;
  if (input.skip_optin_on_grant !== undefined) description.skip_optin_on_grant = input.skip_optin_on_grant;
  if (input.implicit_create_on_none !== undefined) description.implicit_create_on_none = input.implicit_create_on_none;
  if (input.extra !== undefined) description.extra = input.extra;
  return { status: 200, body: renderRoleDescription(ctx.state, description, profile.slug) };
}

export function roles_describe_destroy(ctx: Ctx<'roles_describe_destroy'>): Reply<'roles_describe_destroy'> {
  const { caller, profile } = profileFor(ctx, 'manage');
  const description = descriptionOr404(ctx, profile.slug);
  checkChangeable(ctx, caller, description);
  deleteRoleDescription(ctx.state, description);
  return { status: 204 };
}

// --- roles ---

const ROLE_SEARCH_FIELDS = [
  'organization',
  'organization_full_name',
  'organization_email',
  'username',
  'email',
  'role_title',
  'role_description',
];
const ROLE_ORDER_FIELDS = ['full_name', 'username', 'role_name', 'created_at', 'grant_key', 'request_key'];

/** A flat view of a role for search and ordering (djaodjin's RoleSmartListMixin fields). */
function roleRow(state: DjaoappState, role: RoleRecord) {
  const profile = state.profiles.find((p) => p.slug === role.organization);
  const user = state.users.find((u) => u.slug === role.user);
  const description = role.role_description
    ? roleDescriptionsOf(state, role.organization).find((d) => d.slug === role.role_description)
    : undefined;
  return {
    role,
    organization: role.organization,
    organization_full_name: profile?.full_name ?? '',
    organization_email: profile?.email ?? '',
    full_name: profile?.full_name ?? '',
    username: role.user,
    email: user?.email ?? '',
    role_title: description?.title ?? '',
    role_description: role.role_description ?? '',
    role_name: description?.title ?? '',
    created_at: role.created_at,
    grant_key: role.grant_key,
    request_key: role.request_key,
  };
}

/** A page of roles with the invited and requested counts of the whole (unfiltered by role_status) list. */
export function roleListReply(
  ctx: Ctx & { query: Query },
  roles: RoleRecord[],
  render: (role: RoleRecord) => unknown,
): OkReply {
  const counts = roleCounts(roles);
  const terms = searchTerms(ctx.query.q);
  const now = ctx.now();
  const rows = filterRoleStatus(roles, ctx.query.role_status)
    .map((r) => roleRow(ctx.state, r))
    .filter(
      (row) =>
        matchesSearch(row, ROLE_SEARCH_FIELDS, terms) &&
        inDateRange(row.created_at, ctx.query.start_at, ctx.query.ends_at, now),
    );
  const sorted = order(rows, ctx.query.o, ctx.query.ot, ROLE_ORDER_FIELDS, ['username', 'organization']);
  const page = paginate(sorted, ctx.request, ctx.query.page, ctx.query.page_size);
  return { status: 200, body: { ...counts, ...page, results: page.results.map((row) => render(row.role)) } };
}

export function roles_list(ctx: Ctx<'roles_list'>): Reply<'roles_list'> {
  const { profile } = profileFor(ctx, 'read');
  const roles = ctx.state.roles.filter((r) => r.organization === profile.slug);
  return roleListReply(ctx, roles, (r) => renderRole(ctx.state, r, ctx.request.baseUrl));
}

/** Roles of one description, and the pending requests (which have no description until granted). */
export function roles_by_description_list(ctx: Ctx<'roles_by_description_list'>): Reply<'roles_by_description_list'> {
  const { profile } = profileFor(ctx, 'read');
  const description = descriptionOr404(ctx, profile.slug);
  const onProfile = ctx.state.roles.filter((r) => r.organization === profile.slug);
  const roles = onProfile.filter((r) => r.role_description === description.slug || r.request_key !== null);
  const counts = {
    invited_count: onProfile.filter((r) => r.role_description === description.slug && r.grant_key !== null).length,
  };
  const reply = roleListReply(ctx, roles, (r) => renderRole(ctx.state, r, ctx.request.baseUrl));
  return { ...reply, body: { ...(reply.body as object), ...counts } };
}

interface GrantInput {
  slug: string;
  email?: string;
  full_name?: string;
  message?: string;
}

/** The user a grant names: by username, else by e-mail (the `email` field, or a slug that is an address). */
function grantee(state: DjaoappState, input: GrantInput): UserRecord | undefined {
  return state.users.find((u) => u.slug === input.slug) ?? findUserByEmail(state, input.email ?? input.slug);
}

function sendGrantEmail(ctx: Ctx, role: RoleRecord, user: UserRecord, message: string | null): void {
  const profile = ctx.state.profiles.find((p) => p.slug === role.organization)!;
  const link = role.grant_key ? `/api/users/${user.slug}/accessibles/accept/${role.grant_key}/` : null;
  sendEmail(ctx.state, ctx.now(), {
    template: 'role_grant_created',
    to: [user.email],
    subject: `You were granted the ${role.role_description} role on ${printableName(profile)}`,
    body: `${message ? `${message}\n\n` : ''}${link ? `Accept it: ${link}\n` : 'It is active now.\n'}`,
    context: {
      organization: role.organization,
      role: role.role_description,
      user: user.slug,
      grant_key: role.grant_key,
      link,
      message,
    },
  });
}

export function roles_grant(ctx: Ctx<'roles_grant'>): Reply<'roles_grant'> {
  const { profile } = profileFor(ctx, 'manage');
  const description = descriptionOr404(ctx, profile.slug);
  const { state } = ctx;
  const input = ctx.body;
  let user = grantee(state, input);
  const force = ['1', 'true', 'yes', 'on'].includes(String(ctx.query.force ?? '').toLowerCase());
  if (!user && !force) throw detail(404, `User ${input.slug} does not exist.`);
  if (!user && !input.email && !input.slug.includes('@'))
    throw fieldErrors({ email: ['We cannot invite a user without an e-mail address.'] });
  const now = ctx.now();
  const invited = !user;
  user ??= invitedUser(state, input.email ?? input.slug, input.full_name ?? '', now);
  const { role, created } = grantRole(state, profile.slug, user.slug, description, now, { forceOptin: invited });
  if (created) sendGrantEmail(ctx, role, user, input.message ?? null);
  // djaodjin echoes the validated request ({"slug": ...}); the role itself (with its grant_key) comes along.
  return {
    status: created ? 201 : 200,
    body: {
      ...renderRole(state, role, ctx.request.baseUrl),
      slug: user.slug,
      ...(input.email ? { email: input.email } : {}),
    },
  };
}

function roleOfUser(
  ctx: Ctx & { params: { user: string } },
  organization: string,
  description: RoleDescriptionRecord,
): RoleRecord {
  if (!ctx.state.users.some((u) => u.slug === ctx.params.user)) throw notFound();
  const role = ctx.state.roles.find(
    (r) => r.organization === organization && r.user === ctx.params.user && r.role_description === description.slug,
  );
  if (!role) throw notFound();
  return role;
}

export function roles_resend(ctx: Ctx<'roles_resend'>): Reply<'roles_resend'> {
  const { profile } = profileFor(ctx, 'manage');
  const role = roleOfUser(ctx, profile.slug, descriptionOr404(ctx, profile.slug));
  sendGrantEmail(ctx, role, ctx.state.users.find((u) => u.slug === role.user)!, null);
  return { status: 200, body: renderRole(ctx.state, role, ctx.request.baseUrl) };
}

export function roles_revoke(ctx: Ctx<'roles_revoke'>): Reply<'roles_revoke'> {
  const { profile } = profileFor(ctx, 'manage');
  const description = descriptionOr404(ctx, profile.slug);
  if (!ctx.state.users.some((u) => u.slug === ctx.params.user)) throw notFound();
  // A request made without a description is removed through the manager URL its remove_api_url names.
  const revoked = (r: RoleRecord) =>
    r.organization === profile.slug &&
    r.user === ctx.params.user &&
    (r.role_description === description.slug || (r.role_description === null && description.slug === 'manager'));
  ctx.state.roles = ctx.state.roles.filter((r) => !revoked(r));
  return { status: 204 };
}
