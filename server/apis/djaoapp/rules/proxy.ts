/** Handlers of /api/proxy/ (djaodjin-rules): app settings, access rules, engagement, sessions, recent logins. */
import { randomToken } from '../model/credentials.ts';
import { fieldErrors, notFound } from '../model/errors.ts';
import { claimsFor, signToken } from '../model/jwt.ts';
import { paginate } from '../model/lists.ts';
import { requireBrokerManager } from '../model/permissions.ts';
import { printableName, renderApp, renderRule } from '../model/render.ts';
import type { AppRecord, DjaoappState, RuleRecord } from '../state.ts';
import { userOr404 } from '../model/users-store.ts';
import { entryOrCreate } from '../../../core/records.ts';
import type { Ctx, Reply } from '../model/context.ts';

/** Engagement and activity windows reach this far back from the sandbox's now. */
export const ENGAGEMENT_WINDOW_DAYS = 30;

/** Session encodings djaodjin-rules knows: 0 none, 1 cookie/JWT, 2 JWT in the Authorization header. */
export const SESSION_BACKENDS = [0, 1, 2];

export function proxy_recent_list(ctx: Ctx<'proxy_recent_list'>): Reply<'proxy_recent_list'> {
  requireBrokerManager(ctx.state, ctx.principal);
  const recent = ctx.state.users
    .filter((u) => u.last_login)
    .sort((a, b) => b.last_login!.localeCompare(a.last_login!))
    .map((u) => ({
      printable_name: printableName(u),
      descr: 'recently logged in',
      created_at: u.last_login!,
      slug: u.slug,
    }));
  return { status: 200, body: paginate(recent, ctx.request, ctx.query.page, ctx.query.page_size) };
}

export function proxy_app_retrieve(ctx: Ctx<'proxy_app_retrieve'>): Reply<'proxy_app_retrieve'> {
  requireBrokerManager(ctx.state, ctx.principal);
  return { status: 200, body: renderApp(ctx.state.app) };
}

/** The field errors of an app update (empty when it is valid). */
export function appUpdateErrors(input: Partial<AppRecord>): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  if (input.entry_point !== undefined && input.entry_point !== '') {
    let ok = false;
    try {
      ok = ['http:', 'https:'].includes(new URL(input.entry_point).protocol);
    } catch {
      ok = false;
    }
    if (!ok) errors.entry_point = ['Enter a valid URL.'];
  }
  if (input.session_backend !== undefined) {
    const value = Number(input.session_backend);
    if (!SESSION_BACKENDS.includes(value))
      errors.session_backend = [`"${input.session_backend}" is not a valid choice.`];
  }
  return errors;
}

export function proxy_app_update(ctx: Ctx<'proxy_app_update'>): Reply<'proxy_app_update'> {
  requireBrokerManager(ctx.state, ctx.principal);
  const input = ctx.body;
  const errors = appUpdateErrors(input);
  if (Object.keys(errors).length) throw fieldErrors(errors);
  const { app } = ctx.state;
  if (input.entry_point !== undefined) app.entry_point = input.entry_point;
  if (input.session_backend !== undefined) app.session_backend = input.session_backend;
  if (input.authentication !== undefined) app.authentication = input.authentication;
  if (input.welcome_email !== undefined) app.welcome_email = input.welcome_email;
  return { status: 200, body: renderApp(app) };
}

export function engagementSummary(state: DjaoappState, now: Date) {
  const since = now.getTime() - ENGAGEMENT_WINDOW_DAYS * 86_400_000;
  const within = (at: string | null) => at !== null && Date.parse(at) >= since && Date.parse(at) <= now.getTime();
  const counts = new Map<string, number>();
  for (const e of state.engagements) if (within(e.at)) counts.set(e.tag, (counts.get(e.tag) ?? 0) + 1);
  return {
    active_users: state.users.filter((u) => within(u.last_login)).length,
    engagements: [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([slug, count]) => ({ slug, count })),
  };
}

export function proxy_engagement_retrieve(ctx: Ctx<'proxy_engagement_retrieve'>): Reply<'proxy_engagement_retrieve'> {
  requireBrokerManager(ctx.state, ctx.principal);
  return { status: 200, body: engagementSummary(ctx.state, ctx.now()) };
}

export function proxy_engagement_users_list(
  ctx: Ctx<'proxy_engagement_users_list'>,
): Reply<'proxy_engagement_users_list'> {
  requireBrokerManager(ctx.state, ctx.principal);
  const byUser = new Map<string, string[]>();
  for (const e of ctx.state.engagements) {
    const tags = byUser.get(e.username) ?? [];
    if (!tags.includes(e.tag)) tags.push(e.tag);
    byUser.set(e.username, tags);
  }
  const results = [...byUser]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([username, engagements]) => ({ username, engagements }));
  return { status: 200, body: paginate(results, ctx.request, ctx.query.page, ctx.query.page_size) };
}

export function proxy_key_rotate(ctx: Ctx<'proxy_key_rotate'>): Reply<'proxy_key_rotate'> {
  requireBrokerManager(ctx.state, ctx.principal);
  ctx.state.app.enc_key = randomToken(32);
  return { status: 200, body: { enc_key: ctx.state.app.enc_key } };
}

export function proxy_rules_list(ctx: Ctx<'proxy_rules_list'>): Reply<'proxy_rules_list'> {
  requireBrokerManager(ctx.state, ctx.principal);
  const sorted = [...ctx.state.rules].sort((a, b) => a.rank - b.rank || a.path.localeCompare(b.path));
  const page = paginate(sorted, ctx.request, ctx.query.page, ctx.query.page_size);
  return { status: 200, body: { ...page, results: page.results.map(renderRule) } };
}

export function proxy_rules_create(ctx: Ctx<'proxy_rules_create'>): Reply<'proxy_rules_create'> {
  requireBrokerManager(ctx.state, ctx.principal);
  const input = ctx.body;
  if (ctx.state.rules.some((r) => r.path === input.path))
    throw fieldErrors({ path: ['A rule with this path already exists.'] });
  const rule: RuleRecord = {
    rank: input.rank,
    path: input.path,
    allow: input.allow ?? 'authenticated',
    is_forward: input.is_forward ?? true,
    engaged: input.engaged ?? '',
  };
  ctx.state.rules.push(rule);
  return { status: 201, body: renderRule(rule) };
}

/** The `{rule}` parameter is the rule's path glued to /api/proxy/rules: "/app/" (a missing leading slash is added). */
export function rulePath(param: string): string {
  return param.startsWith('/') ? param : `/${param}`;
}

function ruleOr404(ctx: Ctx & { params: { rule: string } }): RuleRecord {
  const path = rulePath(ctx.params.rule);
  const rule = ctx.state.rules.find((r) => r.path === path);
  if (!rule) throw notFound();
  return rule;
}

export function proxy_rules_retrieve(ctx: Ctx<'proxy_rules_retrieve'>): Reply<'proxy_rules_retrieve'> {
  requireBrokerManager(ctx.state, ctx.principal);
  return { status: 200, body: renderRule(ruleOr404(ctx)) };
}

export function proxy_rules_update(ctx: Ctx<'proxy_rules_update'>): Reply<'proxy_rules_update'> {
  requireBrokerManager(ctx.state, ctx.principal);
  const rule = ruleOr404(ctx);
  const input = ctx.body;
  if (input.path !== undefined && input.path !== rule.path && ctx.state.rules.some((r) => r.path === input.path))
    throw fieldErrors({ path: ['A rule with this path already exists.'] });
  rule.rank = input.rank;
  if (input.path !== undefined) rule.path = input.path;
  if (input.allow !== undefined) rule.allow = input.allow;
  if (input.is_forward !== undefined) rule.is_forward = input.is_forward;
  if (input.engaged !== undefined) rule.engaged = input.engaged;
  return { status: 200, body: renderRule(rule) };
}

export function proxy_rules_destroy(ctx: Ctx<'proxy_rules_destroy'>): Reply<'proxy_rules_destroy'> {
  requireBrokerManager(ctx.state, ctx.principal);
  const rule = ruleOr404(ctx);
  ctx.state.rules = ctx.state.rules.filter((r) => r !== rule);
  return { status: 204 };
}

export async function proxy_sessions_retrieve(
  ctx: Ctx<'proxy_sessions_retrieve'>,
): Promise<Reply<'proxy_sessions_retrieve'>> {
  requireBrokerManager(ctx.state, ctx.principal);
  const user = userOr404(ctx.state, ctx.params.user);
  const claims = claimsFor(user, ctx.now(), ctx.state.jwt_expiry_seconds);
  const roles: Record<string, string[]> = {};
  for (const r of ctx.state.roles)
    if (r.user === user.slug && r.role_description && !r.grant_key && !r.request_key)
      entryOrCreate(roles, r.role_description, () => []).push(r.organization);
  const session = { username: user.slug, email: user.email, full_name: user.full_name, roles };
  const token = await signToken(claims, new TextEncoder().encode(ctx.state.app.enc_key));
  return {
    status: 200,
    body: {
      forward_session: JSON.stringify(session),
      forward_session_header: `Authorization: Bearer ${token}`,
      forward_url: ctx.state.app.entry_point,
    },
  };
}
