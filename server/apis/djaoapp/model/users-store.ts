/** Users in the state: lookups, contact creation and update, rename and delete (with what hangs off a user). */
import type { Ctx, Query } from './context.ts';
import { fieldErrors, notFound } from './errors.ts';
import { inDateRange, matchesSearch, order, searchTerms } from './lists.ts';
import type { DjaoappState, UserRecord } from '../state.ts';
import { sameEmail, slugify, uniqueSlug } from './values.ts';

export function findUserByEmail(state: DjaoappState, email: string): UserRecord | undefined {
  return state.users.find((u) => sameEmail(u.email, email));
}

export function userOr404(state: DjaoappState, slug: string): UserRecord {
  const user = state.users.find((u) => u.slug === slug);
  if (!user) throw notFound();
  return user;
}

export interface UserWrite {
  picture?: string | null;
  email: string;
  full_name?: string;
  nick_name?: string | null;
  extra?: string | Record<string, unknown> | null;
}

/** 400 when another user already has the address. */
export function checkEmailFree(state: DjaoappState, email: string, except?: UserRecord): void {
  const owner = findUserByEmail(state, email);
  if (owner && owner !== except) throw fieldErrors({ email: 'This e-mail address is already taken.' });
}

/** A user without credentials (a contact); the slug comes from the e-mail address. */
export function createContact(state: DjaoappState, input: UserWrite, now: Date): UserRecord {
  checkEmailFree(state, input.email);
  const base = slugify(input.email.split('@')[0]!.replace(/\+.*$/, ''));
  return addUser(
    state,
    {
      slug: uniqueSlug(base, (s) => state.users.some((u) => u.slug === s)),
      email: input.email,
      full_name: input.full_name ?? '',
      nick_name: input.nick_name ?? null,
      picture: input.picture ?? null,
      extra: input.extra ?? null,
    },
    now,
  );
}

export function updateUser(state: DjaoappState, user: UserRecord, input: UserWrite): void {
  checkEmailFree(state, input.email, user);
  user.email = input.email;
  if (input.full_name !== undefined) user.full_name = input.full_name;
  if (input.nick_name !== undefined) user.nick_name = input.nick_name;
  if (input.picture !== undefined) user.picture = input.picture;
  if (input.extra !== undefined) user.extra = input.extra;
}

/** Deletes a user with their roles, API keys, pending keys, signatures and the activities recorded with them. */
export function deleteUser(state: DjaoappState, slug: string): void {
  state.users = state.users.filter((u) => u.slug !== slug);
  state.roles = state.roles.filter((r) => r.user !== slug);
  state.api_keys = state.api_keys.filter((k) => k.user !== slug);
  state.verification_keys = state.verification_keys.filter((k) => k.user !== slug);
  state.reset_tokens = state.reset_tokens.filter((r) => r.user !== slug);
  state.signatures = state.signatures.filter((s) => s.user !== slug);
  state.activities = state.activities.filter((a) => a.contact !== slug);
}

/** Renames a user everywhere the username is referenced. */
export function renameUser(state: DjaoappState, from: string, to: string): void {
  for (const u of state.users) if (u.slug === from) u.slug = to;
  for (const r of state.roles) if (r.user === from) r.user = to;
  for (const k of state.api_keys) if (k.user === from) k.user = to;
  for (const k of state.verification_keys) if (k.user === from) k.user = to;
  for (const r of state.reset_tokens) if (r.user === from) r.user = to;
  for (const s of state.signatures) if (s.user === from) s.user = to;
  for (const e of state.engagements) if (e.username === from) e.username = to;
  for (const a of state.activities) {
    if (a.contact === from) a.contact = to;
    if (a.created_by === from) a.created_by = to;
  }
}

/** A new user added to the state: the given fields over a user with no credentials, profile details or activity yet. */
export function addUser(
  state: DjaoappState,
  fields: Pick<UserRecord, 'slug' | 'email' | 'full_name'> & Partial<UserRecord>,
  now: Date,
): UserRecord {
  const user: UserRecord = {
    nick_name: null,
    picture: null,
    extra: null,
    created_at: now.toISOString(),
    password: null,
    last_login: null,
    notifications: [],
    ssh_pubkey: null,
    ...fields,
  };
  state.users.push(user);
  return user;
}

/** A user created to receive an invitation (`?force=1`, or a profile's new manager): username from the e-mail address. */
export function invitedUser(state: DjaoappState, email: string, fullName: string, now: Date): UserRecord {
  const base = slugify(email.split('@')[0]!.replace(/\+.*$/, '')) || 'user';
  const slug = uniqueSlug(
    base,
    (s) => state.users.some((u) => u.slug === s) || state.profiles.some((p) => p.slug === s),
  );
  return addUser(state, { slug, email, full_name: fullName }, now);
}

export const USER_SEARCH_FIELDS = ['slug', 'email', 'full_name', 'nick_name'];
export const USER_ORDER_FIELDS = ['slug', 'email', 'full_name', 'nick_name', 'created_at'];

/** The users matching the list query parameters (q, q_f, start_at, ends_at, o, ot). */
export function queryUsers(ctx: Ctx & { query: Query }): UserRecord[] {
  const terms = searchTerms(ctx.query.q);
  const now = ctx.now();
  const found = ctx.state.users.filter(
    (u) =>
      matchesSearch(u as unknown as Record<string, unknown>, USER_SEARCH_FIELDS, terms, ctx.query.q_f) &&
      inDateRange(u.created_at, ctx.query.start_at, ctx.query.ends_at, now),
  );
  const o = ctx.query.o?.map((v) => v.replace(/^(-?)username$/, '$1slug'));
  return order(found, o, ctx.query.ot, USER_ORDER_FIELDS, ['slug']);
}
