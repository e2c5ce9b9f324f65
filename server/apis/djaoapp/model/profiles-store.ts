/** Billing profiles in the state: lookups, creation, rename and deletion (archiving) with what refers to them. */
import { notFound } from './errors.ts';
import type { BillingAddress, DjaoappState, ProfileRecord, UserRecord } from '../state.ts';
import { renameUser } from './users-store.ts';

/** A profile's phone and postal address: searched in lists of profiles and of their subscriptions. */
export const PROFILE_CONTACT_FIELDS = [
  'phone',
  'street_address',
  'locality',
  'region',
  'postal_code',
  'country',
] as const;

/** The fields a list of profiles is searched (q) and ordered (o) by. */
export const PROFILE_SEARCH_FIELDS = ['slug', 'full_name', 'email', ...PROFILE_CONTACT_FIELDS];
export const PROFILE_ORDER_FIELDS = ['full_name', 'created_at', 'slug', 'email'];

export function findProfile(state: DjaoappState, slug: string): ProfileRecord | undefined {
  return state.profiles.find((p) => p.slug === slug);
}

export function profileOr404(state: DjaoappState, slug: string): ProfileRecord {
  const profile = findProfile(state, slug);
  if (!profile) throw notFound();
  return profile;
}

export const isSlugTaken = (state: DjaoappState, slug: string): boolean => state.profiles.some((p) => p.slug === slug);

export type ProfileInput = Partial<Omit<ProfileRecord, 'type' | 'created_at' | 'picture'>> & {
  type?: 'organization' | 'personal';
};

/**
 * A new profile record. Unset contact fields are blank; the timezone and country default to the broker's (a
 * profile created on cowork's site is in America/Los_Angeles, US, as the docs' example shows).
 */
export function newProfileRecord(
  state: DjaoappState,
  slug: string,
  input: ProfileInput,
  fallbackEmail: string,
  now: Date,
): ProfileRecord {
  const broker = findProfile(state, state.broker);
  return {
    slug,
    full_name: input.full_name ?? slug,
    email: input.email ?? fallbackEmail,
    phone: input.phone ?? '',
    street_address: input.street_address ?? '',
    locality: input.locality ?? '',
    region: input.region ?? '',
    postal_code: input.postal_code ?? '',
    country: input.country ?? broker?.country ?? '',
    default_timezone: input.default_timezone ?? broker?.default_timezone ?? 'UTC',
    is_provider: false,
    is_bulk_buyer: false,
    type: input.type ?? 'organization',
    picture: null,
    extra: input.extra ?? null,
    created_at: now.toISOString(),
  };
}

/**
 * The address given with an order completes the paying profile's, never replaces it, as djaodjin's checkout does:
 * each of street, city and postal code only where the profile has none; country and region together, only where it
 * has neither.
 */
export function fillEmptyAddress(profile: ProfileRecord, address: BillingAddress): void {
  if (!profile.country && !profile.region && address.country && address.region) {
    profile.country = address.country;
    profile.region = address.region;
  }
  for (const field of ['locality', 'street_address', 'postal_code'] as const)
    if (!profile[field] && address[field]) profile[field] = address[field];
}

/** Adds the profile with `manager` as its (accepted) manager. */
export function addProfile(state: DjaoappState, profile: ProfileRecord, manager: UserRecord): ProfileRecord {
  state.profiles.push(profile);
  state.roles.push({
    organization: profile.slug,
    user: manager.slug,
    role_description: 'manager',
    grant_key: null,
    request_key: null,
    created_at: profile.created_at,
  });
  return profile;
}

/**
 * Renames a profile everywhere it is referred to (roles, role descriptions, plans, subscriptions, activities, the
 * broker). A personal profile's user is renamed with it, as djaodjin does.
 */
export function renameProfile(state: DjaoappState, from: string, to: string): void {
  if (from === to) return;
  const profile = findProfile(state, from);
  if (profile?.type === 'personal' && state.users.some((u) => u.slug === from)) renameUser(state, from, to);
  for (const p of state.profiles) if (p.slug === from) p.slug = to;
  for (const r of state.roles) if (r.organization === from) r.organization = to;
  for (const d of state.role_descriptions) if (d.organization === from) d.organization = to;
  for (const p of state.plans) if (p.organization === from) p.organization = to;
  for (const s of state.subscriptions) if (s.organization === from) s.organization = to;
  for (const a of state.activities) if (a.account === from) a.account = to;
  if (state.broker === from) state.broker = to;
}

/**
 * Deletes a profile as djaodjin does: it is archived under `_archive_<n>` with an anonymized e-mail, so the history
 * of its subscriptions is kept; its roles and own role descriptions go, its plans stop taking subscribers. The
 * user of a personal profile is kept (DELETE /api/users/{user}/ removes users).
 */
export function archiveProfile(state: DjaoappState, profile: ProfileRecord): string {
  const n = state.next_ids.archive++;
  const slug = `_archive_${n}`;
  const from = profile.slug;
  const domain =
    /@(.+)$/.exec(state.profiles.find((p) => p.slug === state.broker)?.email ?? '')?.[1] ?? 'localhost.localdomain';
  state.roles = state.roles.filter((r) => r.organization !== from);
  state.role_descriptions = state.role_descriptions.filter((d) => d.organization !== from);
  for (const p of state.plans) {
    if (p.organization !== from) continue;
    p.organization = slug;
    p.is_active = false;
  }
  for (const s of state.subscriptions) if (s.organization === from) s.organization = slug;
  for (const a of state.activities) if (a.account === from) a.account = slug;
  state.profiles = state.profiles.filter((p) => p !== profile);
  state.archived_profiles.push({ ...profile, slug, email: `${from}+${n}@${domain}` });
  return slug;
}
