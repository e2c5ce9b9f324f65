/** Records as DjaoApp's serializers write them. */
import { isCurrent } from './renewals.ts';
import type {
  ActivityRecord,
  AppRecord,
  DjaoappState,
  PlanRecord,
  ProfileRecord,
  RoleDescriptionRecord,
  RoleRecord,
  RuleRecord,
  SubscriptionRecord,
  UserRecord,
} from '../state.ts';

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

/** A user as lists show one (djaodjin-signup's UserSerializer): no names beyond printable_name, no activities. */
export function renderUserListItem(user: UserRecord) {
  const { slug, username, printable_name, picture, email, created_at, credentials } = renderUser(user);
  return { slug, username, printable_name, picture, email, created_at, credentials };
}

export function renderActivity(activity: ActivityRecord) {
  return {
    created_at: activity.created_at,
    created_by: activity.created_by,
    text: activity.text,
    account: activity.account,
  };
}

export function activitiesOf(state: DjaoappState, user: string): ActivityRecord[] {
  return state.activities
    .filter((a) => a.contact === user)
    .sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id - b.id);
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

// --- profiles, roles, plans, subscriptions ---

/** A profile with its current subscriptions (not yet ended at `now`): GET/PUT /api/profile/{organization}/. */
export function renderProfileWithSubscriptions(state: DjaoappState, profile: ProfileRecord, now: Date) {
  const subscriptions = state.subscriptions
    .filter((s) => s.organization === profile.slug && isCurrent(s, now))
    .sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id - b.id)
    .map((s) => ({ created_at: s.created_at, ends_at: s.ends_at, plan: s.plan, auto_renew: s.auto_renew }));
  return { ...renderProfile(profile), subscriptions };
}

/** The profile a record refers to, archived ones included (subscriptions outlive a deleted profile). */
export function profileRecord(state: DjaoappState, slug: string): ProfileRecord | undefined {
  return state.profiles.find((p) => p.slug === slug) ?? state.archived_profiles.find((p) => p.slug === slug);
}

/** How role records show a user (djaodjin's UserSerializer). */
export function renderUserSummary(user: UserRecord) {
  return { slug: user.slug, email: user.email, full_name: user.full_name, created_at: user.created_at };
}

/** A role description as roles show it; the organization is null for a global description. */
export function renderRoleDescriptionRef(state: DjaoappState, description: RoleDescriptionRecord) {
  const owner = description.organization === null ? undefined : profileRecord(state, description.organization);
  return {
    created_at: description.created_at,
    title: description.title,
    slug: description.slug,
    is_global: description.organization === null,
    skip_optin_on_grant: description.skip_optin_on_grant,
    implicit_create_on_none: description.implicit_create_on_none,
    extra: description.extra,
    organization: owner ? renderAccount(owner) : null,
  };
}

function descriptionOf(state: DjaoappState, role: RoleRecord): RoleDescriptionRecord | undefined {
  if (role.role_description === null) return undefined;
  return (
    state.role_descriptions.find((d) => d.slug === role.role_description && d.organization === role.organization) ??
    state.role_descriptions.find((d) => d.slug === role.role_description && d.organization === null)
  );
}

/** A role description with the roles it has on `organization` (djaodjin's RoleDescriptionCRUDSerializer). */
export function renderRoleDescription(state: DjaoappState, description: RoleDescriptionRecord, organization: string) {
  const roles = state.roles
    .filter((r) => r.organization === organization && r.role_description === description.slug)
    .sort((a, b) => a.created_at.localeCompare(b.created_at) || a.user.localeCompare(b.user))
    .flatMap((r) => {
      const user = state.users.find((u) => u.slug === r.user);
      return user
        ? [
            {
              created_at: r.created_at,
              user: renderUserSummary(user),
              request_key: r.request_key,
              grant_key: r.grant_key,
            },
          ]
        : [];
    });
  return { ...renderRoleDescriptionRef(state, description), roles };
}

/** A profile as a plan names its provider (djaodjin-saas 0.11.0's OrganizationSerializer). */
export function renderOrganizationRef(profile: ProfileRecord) {
  const { slug, printable_name, picture, type, credentials } = renderProfile(profile);
  return { slug, printable_name, picture, type, credentials };
}

/** URLs in answers point at the mock itself, with the trailing slash its routes take. */
const url = (baseUrl: string, path: string) => `${baseUrl}${path}`;

/** A role as a profile's role lists show it. */
export function renderRole(state: DjaoappState, role: RoleRecord, baseUrl: string) {
  const user = state.users.find((u) => u.slug === role.user)!;
  const profile = profileRecord(state, role.organization)!;
  const description = descriptionOf(state, role);
  const descriptionSlug = role.role_description ?? 'manager';
  return {
    created_at: role.created_at,
    user: renderUserSummary(user),
    organization: renderProfile(profile),
    role_description: description ? renderRoleDescriptionRef(state, description) : null,
    request_key: role.request_key,
    grant_key: role.grant_key,
    accept_request_api_url: role.request_key
      ? url(baseUrl, `/api/profile/${role.organization}/roles/${descriptionSlug}/`)
      : null,
    remove_api_url: url(baseUrl, `/api/profile/${role.organization}/roles/${descriptionSlug}/${role.user}/`),
  };
}

/** A role as the user's accessibles show it: the profile it opens, and the links to accept or drop it. */
export function renderAccessible(state: DjaoappState, role: RoleRecord, baseUrl: string) {
  const user = state.users.find((u) => u.slug === role.user)!;
  const profile = profileRecord(state, role.organization)!;
  const description = descriptionOf(state, role);
  const { slug, full_name, printable_name, picture, type, credentials } = renderAccount(profile);
  return {
    created_at: role.created_at,
    request_key: role.request_key,
    grant_key: role.grant_key,
    slug: profile.slug,
    printable_name: printableName(profile),
    email: profile.email,
    organization: { slug, full_name, printable_name, picture, type, credentials },
    role_description: description ? renderRoleDescriptionRef(state, description) : null,
    user: renderUserSummary(user),
    home_url: url(baseUrl, `/app/${profile.slug}/`),
    settings_url: url(baseUrl, `/profile/${profile.slug}/contact/`),
    accept_grant_api_url: role.grant_key
      ? url(baseUrl, `/api/users/${role.user}/accessibles/accept/${role.grant_key}/`)
      : null,
    remove_api_url: url(
      baseUrl,
      `/api/users/${role.user}/accessibles/${role.role_description ?? 'manager'}/${role.organization}/`,
    ),
  };
}

/** Where a provider's app lives: /app/ for the broker, /<provider>/app/ otherwise (djaodjin's product_url). */
export function appUrl(state: DjaoappState, provider: string, baseUrl: string): string {
  return provider === state.broker ? url(baseUrl, '/app/') : url(baseUrl, `/${provider}/app/`);
}

/** A plan; the period is written both as period_type (the docs' fields) and interval (the docs' examples). */
export function renderPlan(state: DjaoappState, plan: PlanRecord, baseUrl: string) {
  return {
    slug: plan.slug,
    title: plan.title,
    description: plan.description,
    is_active: plan.is_active,
    setup_amount: plan.setup_amount,
    period_amount: plan.period_amount,
    period_type: plan.period_type,
    interval: plan.period_type,
    period_length: plan.period_length,
    unit: plan.unit,
    organization: renderOrganizationRef(profileRecord(state, plan.organization)!),
    renewal_type: plan.renewal_type,
    is_not_priced: plan.is_not_priced,
    created_at: plan.created_at,
    skip_optin_on_grant: plan.skip_optin_on_grant,
    optin_on_request: plan.optin_on_request,
    advance_discounts: plan.advance_discounts.map((d) => ({ ...d })),
    discounted_period_amount: plan.period_amount,
    app_url: appUrl(state, plan.organization, baseUrl),
    extra: plan.extra,
  };
}

/**
 * A subscription with its subscriber and plan; editable when `caller` may change it as the provider. `profile` is
 * the subscriber when it is not in the state yet (a checkout's GroupBuy subscriber).
 */
export function renderSubscription(
  state: DjaoappState,
  sub: SubscriptionRecord,
  editable: boolean,
  baseUrl: string,
  profile: ProfileRecord = profileRecord(state, sub.organization)!,
) {
  const plan = state.plans.find((p) => p.slug === sub.plan)!;
  return {
    created_at: sub.created_at,
    ends_at: sub.ends_at,
    description: sub.description,
    organization: renderProfile(profile),
    plan: renderPlan(state, plan, baseUrl),
    auto_renew: sub.auto_renew,
    editable,
    extra: sub.extra,
    grant_key: sub.grant_key,
    request_key: sub.request_key,
  };
}
