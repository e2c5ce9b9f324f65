/** Handlers of /api/profile/ and /api/profile/{organization}/: billing profiles (organizations and personal). */
import { fieldErrors, forbidden } from '../model/errors.ts';
import { inDateRange, matchesSearch, order, paginate, searchTerms } from '../model/lists.ts';
import { hasRole, isBrokerManager, requireProfileAccess } from '../model/permissions.ts';
import {
  addProfile,
  archiveProfile,
  isSlugTaken,
  newProfileRecord,
  PROFILE_CONTACT_FIELDS,
  PROFILE_ORDER_FIELDS,
  PROFILE_SEARCH_FIELDS,
  profileOr404,
  renameProfile,
} from '../model/profiles-store.ts';
import { renderProfile, renderProfileWithSubscriptions } from '../model/render.ts';
import type { DjaoappState, ProfileRecord, UserRecord } from '../state.ts';
import { addUser } from '../model/users-store.ts';
import { slugify, uniqueSlug } from '../model/values.ts';
import type { Ctx, Reply } from '../model/context.ts';

export const SLUG_TAKEN = 'A profile with this identifier already exists.';

/** Profiles the caller sees: every profile for the broker's managers, else those they hold an accepted role on. */
export function visibleProfiles(state: DjaoappState, caller: UserRecord): ProfileRecord[] {
  if (isBrokerManager(state, caller)) return state.profiles;
  return state.profiles.filter((p) => hasRole(state, caller.slug, p.slug));
}

export function profiles_list(ctx: Ctx<'profiles_list'>): Reply<'profiles_list'> {
  const caller = ctx.principal.user!;
  const terms = searchTerms(ctx.query.q);
  const now = ctx.now();
  const found = visibleProfiles(ctx.state, caller).filter(
    (p) =>
      matchesSearch(p as unknown as Record<string, unknown>, PROFILE_SEARCH_FIELDS, terms, ctx.query.q_f) &&
      inDateRange(p.created_at, ctx.query.start_at, ctx.query.ends_at, now),
  );
  const sorted = order(found, ctx.query.o, ctx.query.ot, PROFILE_ORDER_FIELDS, ['full_name', 'slug']);
  const page = paginate(sorted, ctx.request, ctx.query.page, ctx.query.page_size);
  return { status: 200, body: { ...page, results: page.results.map(renderProfile) } };
}

/** A slug nobody uses: profiles and usernames share one namespace (a personal profile has its user's slug). */
const taken = (state: DjaoappState) => (slug: string) =>
  isSlugTaken(state, slug) || state.users.some((u) => u.slug === slug);

export function profiles_create(ctx: Ctx<'profiles_create'>): Reply<'profiles_create'> {
  const caller = ctx.principal.user!;
  const { state } = ctx;
  const input = ctx.body;
  if (!input.slug && !(input.full_name && input.email && input.type))
    throw fieldErrors({ non_field_errors: ['One of slug or (full_name, email, type) should be present'] });
  const type = input.type ?? 'organization';
  const now = ctx.now();
  if (type === 'personal') {
    const slug = input.slug ?? caller.slug;
    const owner = state.users.find((u) => u.slug === slug);
    if (owner !== caller && !isBrokerManager(state, caller)) throw forbidden();
    if (isSlugTaken(state, slug)) throw fieldErrors({ slug: [SLUG_TAKEN] });
    const email = input.email ?? owner?.email ?? caller.email;
    const user = owner ?? addUser(state, { slug, email, full_name: input.full_name ?? slug }, now);
    const profile = addProfile(
      state,
      newProfileRecord(state, slug, { ...input, type, full_name: input.full_name ?? user.full_name }, email, now),
      user,
    );
    return { status: 201, body: renderProfile(profile) };
  }
  if (input.slug !== undefined && taken(state)(input.slug)) throw fieldErrors({ slug: [SLUG_TAKEN] });
  const slug = input.slug ?? uniqueSlug(slugify(input.full_name!) || 'profile', taken(state));
  const profile = addProfile(state, newProfileRecord(state, slug, { ...input, type }, caller.email, now), caller);
  return { status: 201, body: renderProfile(profile) };
}

export function profiles_retrieve(ctx: Ctx<'profiles_retrieve'>): Reply<'profiles_retrieve'> {
  requireProfileAccess(ctx.state, ctx.principal, ctx.params.organization, 'read');
  const profile = profileOr404(ctx.state, ctx.params.organization);
  return { status: 200, body: renderProfileWithSubscriptions(ctx.state, profile, ctx.now()) };
}

export function profiles_update(ctx: Ctx<'profiles_update'>): Reply<'profiles_update'> {
  const caller = requireProfileAccess(ctx.state, ctx.principal, ctx.params.organization, 'manage');
  const { state } = ctx;
  const profile = profileOr404(state, ctx.params.organization);
  const input = ctx.body;
  if (input.slug !== undefined && input.slug !== profile.slug) {
    const attachedUser = profile.type === 'personal' ? profile.slug : undefined;
    if (isSlugTaken(state, input.slug) || state.users.some((u) => u.slug === input.slug && u.slug !== attachedUser))
      throw fieldErrors({ slug: [SLUG_TAKEN] });
  }
  profile.full_name = input.full_name;
  profile.email = input.email;
  for (const field of [...PROFILE_CONTACT_FIELDS, 'default_timezone'] as const)
    if (input[field] !== undefined) profile[field] = input[field]!;
  if (input.extra !== undefined) profile.extra = input.extra;
  if (input.is_bulk_buyer !== undefined) profile.is_bulk_buyer = input.is_bulk_buyer;
  // Only the broker's managers make a profile a provider (djaodjin ignores the field from anyone else).
  if (input.is_provider !== undefined && isBrokerManager(state, caller)) profile.is_provider = input.is_provider;
  if (input.slug !== undefined) renameProfile(state, profile.slug, input.slug);
  return { status: 200, body: renderProfileWithSubscriptions(state, profile, ctx.now()) };
}

export function profiles_destroy(ctx: Ctx<'profiles_destroy'>): Reply<'profiles_destroy'> {
  requireProfileAccess(ctx.state, ctx.principal, ctx.params.organization, 'manage');
  const profile = profileOr404(ctx.state, ctx.params.organization);
  if (profile.slug === ctx.state.broker) throw forbidden('The broker profile cannot be deleted.');
  archiveProfile(ctx.state, profile);
  return { status: 204 };
}
