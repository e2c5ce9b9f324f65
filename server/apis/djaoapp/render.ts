/** Records as DjaoApp's serializers write them. */
import type { ActivityRecord, AppRecord, DjaoappState, ProfileRecord, RuleRecord, UserRecord } from './state.ts';

export function printableName(record: { full_name: string; slug: string }): string {
  return record.full_name || record.slug;
}

export function renderUser(user: UserRecord) {
  return {
    slug: user.slug,
    username: user.slug,
    email: user.email,
    full_name: user.full_name,
    nick_name: user.nick_name,
    printable_name: printableName(user),
    picture: user.picture,
    created_at: user.created_at,
    credentials: user.password !== null,
    extra: user.extra,
  };
}

export function renderActivity(activity: ActivityRecord) {
  return { created_at: activity.created_at, created_by: activity.created_by, text: activity.text, account: activity.account };
}

export function activitiesOf(state: DjaoappState, user: string): ActivityRecord[] {
  return state.activities.filter((a) => a.contact === user).sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id - b.id);
}

export function renderUserDetail(state: DjaoappState, user: UserRecord) {
  return { ...renderUser(user), activities: activitiesOf(state, user.slug).map(renderActivity) };
}

export function renderProfile(profile: ProfileRecord) {
  return {
    slug: profile.slug,
    full_name: profile.full_name,
    printable_name: printableName(profile),
    picture: profile.picture,
    type: profile.type,
    credentials: profile.type === 'personal',
    created_at: profile.created_at,
    email: profile.email,
    phone: profile.phone,
    street_address: profile.street_address,
    locality: profile.locality,
    region: profile.region,
    postal_code: profile.postal_code,
    country: profile.country,
    default_timezone: profile.default_timezone,
    is_provider: profile.is_provider,
    is_bulk_buyer: profile.is_bulk_buyer,
    extra: profile.extra,
  };
}

/** The typeahead shape of /api/accounts/*: a profile's identity fields. */
export function renderAccount(profile: ProfileRecord) {
  const { slug, full_name, printable_name, picture, type, credentials, email, created_at } = renderProfile(profile);
  return { slug, full_name, printable_name, picture, type, credentials, email, created_at };
}

export function renderApp(app: AppRecord) {
  return {
    slug: app.slug,
    entry_point: app.entry_point,
    session_backend: app.session_backend,
    authentication: app.authentication,
    welcome_email: app.welcome_email,
  };
}

export function renderRule(rule: RuleRecord) {
  return { rank: rule.rank, path: rule.path, allow: rule.allow, is_forward: rule.is_forward, engaged: rule.engaged };
}
