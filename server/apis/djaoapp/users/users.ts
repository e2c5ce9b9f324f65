/** Handlers of /api/users/: list, create, get, update, delete, notifications, profiles, activation, credentials. */
import { checkPassword, hashPassword, issueVerificationKey, resetApiKey } from '../model/credentials.ts';
import { fieldErrors, incorrectPassword } from '../model/errors.ts';
import { matchesSearch, order, paginate, searchTerms } from '../model/lists.ts';
import { sendEmail } from '../model/outbox.ts';
import { requireBrokerManager, requireSelfOrBrokerManager } from '../model/permissions.ts';
import { renderProfile, renderUser, renderUserDetail, renderUserListItem } from '../model/render.ts';
import { addProfile, newProfileRecord } from '../model/profiles-store.ts';
import type { DjaoappState, ProfileRecord, UserRecord } from '../state.ts';
import { createContact, deleteUser, queryUsers, updateUser, userOr404 } from '../model/users-store.ts';
import { slugify, uniqueSlug } from '../model/values.ts';
import type { Ctx, Reply } from '../model/context.ts';

/** The user named in the URL, once the caller is allowed to act on them. */
function targetUser(ctx: Ctx & { params: { user: string } }): UserRecord {
  requireSelfOrBrokerManager(ctx.state, ctx.principal, ctx.params.user);
  return userOr404(ctx.state, ctx.params.user);
}

export function users_list(ctx: Ctx<'users_list'>): Reply<'users_list'> {
  requireBrokerManager(ctx.state, ctx.principal);
  const page = paginate(queryUsers(ctx), ctx.request, ctx.query.page, ctx.query.page_size);
  return { status: 200, body: { ...page, results: page.results.map(renderUserListItem) } };
}

export function users_create(ctx: Ctx<'users_create'>): Reply<'users_create'> {
  requireBrokerManager(ctx.state, ctx.principal);
  const user = createContact(ctx.state, ctx.body, ctx.now());
  return { status: 201, body: renderUserDetail(ctx.state, user) };
}

export function users_retrieve(ctx: Ctx<'users_retrieve'>): Reply<'users_retrieve'> {
  return { status: 200, body: renderUserDetail(ctx.state, targetUser(ctx)) };
}

export function users_update(ctx: Ctx<'users_update'>): Reply<'users_update'> {
  const user = targetUser(ctx);
  updateUser(ctx.state, user, ctx.body);
  return { status: 200, body: renderUserDetail(ctx.state, user) };
}

export function users_destroy(ctx: Ctx<'users_destroy'>): Reply<'users_destroy'> {
  const user = targetUser(ctx);
  deleteUser(ctx.state, user.slug);
  return { status: 204 };
}

export function users_notifications_update(
  ctx: Ctx<'users_notifications_update'>,
): Reply<'users_notifications_update'> {
  const user = targetUser(ctx);
  const { notifications } = ctx.body;
  const unknown = notifications.filter((n) => !ctx.state.notification_templates.includes(n));
  if (unknown.length) throw fieldErrors({ notifications: unknown.map((n) => `"${n}" is not a valid choice.`) });
  user.notifications = [...new Set(notifications)];
  return { status: 200, body: { notifications: user.notifications } };
}

/** Profiles the user manages (accepted manager role). */
export function managedProfiles(state: DjaoappState, user: string): ProfileRecord[] {
  const slugs = new Set(
    state.roles
      .filter((r) => r.user === user && r.role_description === 'manager' && !r.grant_key && !r.request_key)
      .map((r) => r.organization),
  );
  return state.profiles.filter((p) => slugs.has(p.slug));
}

export function users_profiles_list(ctx: Ctx<'users_profiles_list'>): Reply<'users_profiles_list'> {
  const user = targetUser(ctx);
  const terms = searchTerms(ctx.query.q);
  const found = managedProfiles(ctx.state, user.slug).filter((p) =>
    matchesSearch(p as unknown as Record<string, unknown>, ['slug', 'full_name', 'email'], terms),
  );
  const sorted = order(found, ctx.query.o, ctx.query.ot, ['slug', 'full_name', 'email', 'created_at'], ['slug']);
  const page = paginate(sorted, ctx.request, ctx.query.page, ctx.query.page_size);
  return { status: 200, body: { ...page, results: page.results.map(renderProfile) } };
}

export function users_profiles_create(ctx: Ctx<'users_profiles_create'>): Reply<'users_profiles_create'> {
  const user = targetUser(ctx);
  const input = ctx.body;
  const { state } = ctx;
  const type = input.type ?? 'organization';
  const fullName = input.full_name ?? (type === 'personal' ? user.full_name : undefined);
  if (!fullName && !input.slug) throw fieldErrors({ full_name: ['This field is required.'] });
  const slug =
    type === 'personal'
      ? user.slug
      : (input.slug ?? uniqueSlug(slugify(fullName!), (s) => state.profiles.some((p) => p.slug === s)));
  if (state.profiles.some((p) => p.slug === slug))
    throw fieldErrors({ slug: ['A profile with this identifier already exists.'] });
  const profile = addProfile(
    state,
    newProfileRecord(state, slug, { ...input, type, full_name: fullName ?? slug }, user.email, ctx.now()),
    user,
  );
  return { status: 201, body: renderProfile(profile) };
}

export function users_activate_resend(ctx: Ctx<'users_activate_resend'>): Reply<'users_activate_resend'> {
  const user = targetUser(ctx);
  const pending = user.password === null || ctx.state.verification_keys.some((k) => k.user === user.slug);
  if (pending) {
    const key = issueVerificationKey(ctx.state, user, ctx.now());
    sendEmail(ctx.state, ctx.now(), {
      template: 'verification',
      to: [user.email],
      subject: 'Please verify your e-mail address',
      body: `Hello ${user.full_name || user.slug}, activate your account: /activate/${key}/\n`,
      context: { user: user.slug, verification_key: key, link: `/activate/${key}/` },
    });
  }
  return { status: 200, body: renderUser(user) };
}

/** The caller proves who they are with their own password before credentials change. */
function checkCallerPassword(ctx: Ctx & { body: { password?: string } }, caller: UserRecord): void {
  if (!checkPassword(caller, ctx.body.password)) throw incorrectPassword();
}

export function users_api_keys_reset(ctx: Ctx<'users_api_keys_reset'>): Reply<'users_api_keys_reset'> {
  const caller = requireSelfOrBrokerManager(ctx.state, ctx.principal, ctx.params.user);
  const user = userOr404(ctx.state, ctx.params.user);
  checkCallerPassword(ctx, caller);
  const { secret } = resetApiKey(ctx.state, user, ctx.now());
  return { status: 201, body: { secret } };
}

export function users_password_update(ctx: Ctx<'users_password_update'>): Reply<'users_password_update'> {
  const caller = requireSelfOrBrokerManager(ctx.state, ctx.principal, ctx.params.user);
  const user = userOr404(ctx.state, ctx.params.user);
  checkCallerPassword(ctx, caller);
  user.password = hashPassword(ctx.body.new_password);
  return { status: 200, body: { detail: 'Password updated successfully.' } };
}

export function users_ssh_keys_update(ctx: Ctx<'users_ssh_keys_update'>): Reply<'users_ssh_keys_update'> {
  const caller = requireSelfOrBrokerManager(ctx.state, ctx.principal, ctx.params.user);
  const user = userOr404(ctx.state, ctx.params.user);
  checkCallerPassword(ctx, caller);
  user.ssh_pubkey = ctx.body.pubkey;
  return { status: 200, body: { detail: 'Public key updated successfully.' } };
}
