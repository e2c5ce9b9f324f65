/**
 * Handlers of /api/users/{user}/accessibles/: the profiles a user has a role on, requests for a role (with a
 * request_key a manager accepts), acceptance of a grant by its key, re-sent requests and leaving a profile.
 */
import { detail, fieldErrors, notFound } from '../model/errors.ts';
import { sendEmail } from '../model/outbox.ts';
import { isManager, requireSelfOrBrokerManager } from '../model/permissions.ts';
import { addProfile, findProfile, newProfileRecord } from '../model/profiles-store.ts';
import { printableName, renderAccessible, renderRole, renderSubscription } from '../model/render.ts';
import { isCurrent } from '../model/renewals.ts';
import { roleListReply } from './roles.ts';
import { findRoleDescription, managersOf, requestRole } from '../model/roles-store.ts';
import type { ProfileRecord, RoleRecord, UserRecord } from '../state.ts';
import { findUserByEmail, invitedUser, userOr404 } from '../model/users-store.ts';
import { sameEmail, slugify, uniqueSlug } from '../model/values.ts';
import type { Ctx, Reply } from '../model/context.ts';

/** The user in the URL, once the caller may act for them (themselves, or a broker manager). */
function accessibleUser(ctx: Ctx & { params: { user: string } }): UserRecord {
  requireSelfOrBrokerManager(ctx.state, ctx.principal, ctx.params.user);
  return userOr404(ctx.state, ctx.params.user);
}

/** Tells the profile's managers (or its own address, when it has none) that a user asks for a role. */
function sendRequestEmail(ctx: Ctx, role: RoleRecord, user: UserRecord, message: string | null): void {
  const profile = findProfile(ctx.state, role.organization)!;
  const to = managersOf(ctx.state, profile.slug).map((m) => m.email);
  const link = `/api/profile/${profile.slug}/roles/${role.role_description ?? 'manager'}/`;
  sendEmail(ctx.state, ctx.now(), {
    template: 'role_request_created',
    to: to.length ? to : [profile.email],
    subject: `${user.full_name || user.slug} requests a role on ${printableName(profile)}`,
    body: `${message ? `${message}\n\n` : ''}Grant it with POST ${link} {"slug": "${user.slug}"}\n`,
    context: {
      organization: profile.slug,
      user: user.slug,
      role: role.role_description,
      request_key: role.request_key,
      message,
    },
  });
}

export function accessibles_list(ctx: Ctx<'accessibles_list'>): Reply<'accessibles_list'> {
  const user = accessibleUser(ctx);
  const roles = ctx.state.roles.filter((r) => r.user === user.slug);
  return roleListReply(ctx, roles, (r) => renderAccessible(ctx.state, r, ctx.request.baseUrl));
}

export function accessibles_by_role_list(ctx: Ctx<'accessibles_by_role_list'>): Reply<'accessibles_by_role_list'> {
  const user = accessibleUser(ctx);
  const roles = ctx.state.roles.filter((r) => r.user === user.slug && r.role_description === ctx.params.role);
  return roleListReply(ctx, roles, (r) => renderAccessible(ctx.state, r, ctx.request.baseUrl));
}

interface RequestInput {
  slug?: string;
  organization?: string;
  email?: string;
  message?: string;
}

const forced = (ctx: Ctx) => ['1', 'true', 'yes', 'on'].includes(String(ctx.query.force ?? '').toLowerCase());

/**
 * The profile a request names by slug (slugified, as djaodjin does) or by e-mail. With ?force=1 and an e-mail, a
 * profile that does not exist is created, managed by the user with that address (invited when there is none).
 */
function requestedProfile(ctx: Ctx, input: RequestInput): ProfileRecord {
  const { state } = ctx;
  const slug = input.slug ?? input.organization;
  if (!slug && !input.email) throw fieldErrors({ slug: ['This field is required.'] });
  const found = slug
    ? (findProfile(state, slugify(slug)) ?? findProfile(state, slug))
    : state.profiles.find((p) => sameEmail(p.email, input.email!));
  if (found) return found;
  if (!forced(ctx)) throw detail(404, `Profile ${slug ?? input.email} does not exist.`);
  if (!input.email) throw fieldErrors({ email: ['We cannot invite an organization without an e-mail address.'] });
  const now = ctx.now();
  const taken = (s: string) => state.profiles.some((p) => p.slug === s) || state.users.some((u) => u.slug === s);
  const fullName = slug ?? input.email.split('@')[1]!.split('.').slice(-2, -1)[0] ?? input.email;
  const profileSlug = uniqueSlug(slugify(fullName) || 'profile', taken);
  const manager = findUserByEmail(state, input.email) ?? invitedUser(state, input.email, '', now);
  return addProfile(
    state,
    newProfileRecord(state, profileSlug, { full_name: fullName, email: input.email }, input.email, now),
    manager,
  );
}

export function accessibles_request(ctx: Ctx<'accessibles_request'>): Reply<'accessibles_request'> {
  const user = accessibleUser(ctx);
  const input = ctx.body;
  const profile = requestedProfile(ctx, input);
  const { role, created } = requestRole(ctx.state, profile.slug, user.slug, null, ctx.now());
  if (created) sendRequestEmail(ctx, role, user, input.message ?? null);
  return { status: created ? 201 : 200, body: renderAccessible(ctx.state, role, ctx.request.baseUrl) };
}

export function accessibles_by_role_request(
  ctx: Ctx<'accessibles_by_role_request'>,
): Reply<'accessibles_by_role_request'> {
  const user = accessibleUser(ctx);
  const input = ctx.body;
  const slug = input.organization ?? input.slug;
  if (!slug) throw fieldErrors({ organization: ['This field is required.'] });
  const profile = findProfile(ctx.state, slug);
  if (!profile) throw detail(404, `Profile ${slug} does not exist.`);
  const description = findRoleDescription(ctx.state, profile.slug, ctx.params.role);
  if (!description) throw detail(404, `Role Description ${ctx.params.role} does not exist.`);
  const { role, created } = requestRole(ctx.state, profile.slug, user.slug, description, ctx.now());
  if (created) sendRequestEmail(ctx, role, user, input.message ?? null);
  return { status: created ? 201 : 200, body: renderAccessible(ctx.state, role, ctx.request.baseUrl) };
}

/**
 * Accepts a grant with the key from its e-mail: a role granted to the user, or a subscription granted to a
 * profile the user manages (djaodjin accepts those on a web page; this is the API's way to). A key works once.
 */
export function accessibles_accept(ctx: Ctx<'accessibles_accept'>): Reply<'accessibles_accept'> {
  const user = accessibleUser(ctx);
  const key = ctx.params.verification_key;
  const { state } = ctx;
  const now = ctx.now();
  const role = state.roles.find((r) => r.user === user.slug && r.grant_key === key);
  if (role) {
    role.grant_key = null;
    const profile = findProfile(state, role.organization)!;
    const to = managersOf(state, profile.slug)
      .filter((m) => m.slug !== user.slug)
      .map((m) => m.email);
    sendEmail(state, now, {
      template: 'role_grant_accepted',
      to: to.length ? to : [profile.email],
      subject: `${user.full_name || user.slug} accepted the ${role.role_description} role on ${printableName(profile)}`,
      body: `${user.slug} is now ${role.role_description} of ${profile.slug}.\n`,
      context: { organization: profile.slug, user: user.slug, role: role.role_description, grant_key: key },
    });
    return { status: 200, body: renderAccessible(state, role, ctx.request.baseUrl) };
  }
  const sub = state.subscriptions.find(
    (s) => s.grant_key === key && isManager(state, user.slug, s.organization) && isCurrent(s, now),
  );
  if (!sub) throw notFound();
  sub.grant_key = null;
  const plan = state.plans.find((p) => p.slug === sub.plan)!;
  const to = managersOf(state, plan.organization).map((m) => m.email);
  sendEmail(state, now, {
    template: 'subscription_grant_accepted',
    to: to.length ? to : [findProfile(state, plan.organization)?.email ?? ''],
    subject: `${sub.organization} accepted the subscription to ${plan.title}`,
    body: `${sub.organization} is subscribed to ${plan.slug} until ${sub.ends_at}.\n`,
    context: { organization: sub.organization, plan: plan.slug, grant_key: key },
  });
  return {
    status: 200,
    body: renderSubscription(state, sub, isManager(state, user.slug, plan.organization), ctx.request.baseUrl),
  };
}

function roleOnProfile(
  ctx: Ctx & { params: { organization: string } },
  user: UserRecord,
): { profile: ProfileRecord; roles: RoleRecord[] } {
  const profile = findProfile(ctx.state, ctx.params.organization);
  if (!profile) throw notFound();
  return { profile, roles: ctx.state.roles.filter((r) => r.organization === profile.slug && r.user === user.slug) };
}

export function accessibles_resend(ctx: Ctx<'accessibles_resend'>): Reply<'accessibles_resend'> {
  const user = accessibleUser(ctx);
  const { roles } = roleOnProfile(ctx, user);
  const role = roles[0];
  if (!role) throw notFound();
  sendRequestEmail(ctx, role, user, null);
  return { status: 200, body: renderRole(ctx.state, role, ctx.request.baseUrl) };
}

/** Leaves a profile: every role of the user there goes, whatever its description (as djaodjin's accessibles do). */
export function accessibles_revoke(ctx: Ctx<'accessibles_revoke'>): Reply<'accessibles_revoke'> {
  const user = accessibleUser(ctx);
  const { profile } = roleOnProfile(ctx, user);
  ctx.state.roles = ctx.state.roles.filter((r) => !(r.organization === profile.slug && r.user === user.slug));
  return { status: 204 };
}
