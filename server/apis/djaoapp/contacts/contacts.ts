/** Handlers of /api/contacts/: contacts (users without credentials) and the activities recorded with them. */
import { fieldErrors } from '../model/errors.ts';
import { matchesSearch, order, paginate, searchTerms } from '../model/lists.ts';
import { requireBrokerManager } from '../model/permissions.ts';
import { activitiesOf, renderActivity, renderUserDetail } from '../model/render.ts';
import type { ActivityRecord } from '../state.ts';
import { createContact, deleteUser, updateUser, userOr404 } from '../model/users-store.ts';
import type { Ctx, Reply } from '../model/context.ts';

export function contacts_create(ctx: Ctx<'contacts_create'>): Reply<'contacts_create'> {
  requireBrokerManager(ctx.state, ctx.principal);
  const user = createContact(ctx.state, ctx.body, ctx.now());
  return { status: 201, body: renderUserDetail(ctx.state, user) };
}

export function contacts_update(ctx: Ctx<'contacts_update'>): Reply<'contacts_update'> {
  requireBrokerManager(ctx.state, ctx.principal);
  const user = userOr404(ctx.state, ctx.params.user);
  updateUser(ctx.state, user, ctx.body);
  return { status: 200, body: renderUserDetail(ctx.state, user) };
}

export function contacts_destroy(ctx: Ctx<'contacts_destroy'>): Reply<'contacts_destroy'> {
  requireBrokerManager(ctx.state, ctx.principal);
  deleteUser(ctx.state, userOr404(ctx.state, ctx.params.user).slug);
  return { status: 204 };
}

export function contacts_activities_list(ctx: Ctx<'contacts_activities_list'>): Reply<'contacts_activities_list'> {
  requireBrokerManager(ctx.state, ctx.principal);
  const user = userOr404(ctx.state, ctx.params.user);
  const terms = searchTerms(ctx.query.q);
  const found = activitiesOf(ctx.state, user.slug).filter((a) =>
    matchesSearch(a as unknown as Record<string, unknown>, ['text', 'created_by', 'account'], terms),
  );
  const sorted = order(
    found,
    ctx.query.o,
    ctx.query.ot,
    ['created_at', 'created_by', 'account', 'text'],
    ['created_at', 'id'],
  );
  const page = paginate(sorted, ctx.request, ctx.query.page, ctx.query.page_size);
  return { status: 200, body: { ...page, results: page.results.map(renderActivity) } };
}

export function contacts_activities_create(
  ctx: Ctx<'contacts_activities_create'>,
): Reply<'contacts_activities_create'> {
  const caller = requireBrokerManager(ctx.state, ctx.principal);
  const user = userOr404(ctx.state, ctx.params.user);
  const { text, account } = ctx.body;
  if (account !== null && !ctx.state.profiles.some((p) => p.slug === account))
    throw fieldErrors({ account: [`Object with slug=${account} does not exist.`] });
  const activity: ActivityRecord = {
    id: ctx.state.next_ids.activity++,
    contact: user.slug,
    created_at: ctx.now().toISOString(),
    created_by: caller.slug,
    text: text ?? '',
    account,
  };
  ctx.state.activities.push(activity);
  return { status: 201, body: renderActivity(activity) };
}
