/** Handlers of /api/accounts/: broker-level typeahead over billing profiles and users. */
import type { Reply } from '../../../core/plugin.ts';
import { matchesSearch, order, paginate, searchTerms } from '../model/lists.ts';
import { requireBrokerManager } from '../model/permissions.ts';
import { renderAccount, renderUser } from '../model/render.ts';
import { queryUsers } from '../model/users-store.ts';
import type { Ctx } from '../model/context.ts';

const PROFILE_SEARCH_FIELDS = ['slug', 'full_name', 'email'];
const PROFILE_ORDER_FIELDS = ['slug', 'full_name', 'email', 'created_at'];

function profiles(ctx: Ctx): Reply {
  requireBrokerManager(ctx.state, ctx.principal);
  const terms = searchTerms(ctx.query.q);
  const found = ctx.state.profiles.filter((p) =>
    matchesSearch(p as unknown as Record<string, unknown>, PROFILE_SEARCH_FIELDS, terms, ctx.query.q_f),
  );
  const sorted = order(found, ctx.query.o, ctx.query.ot, PROFILE_ORDER_FIELDS, ['slug']);
  const page = paginate(sorted, ctx.request, ctx.query.page, ctx.query.page_size);
  return { status: 200, body: { ...page, results: page.results.map(renderAccount) } };
}

export const accounts_list = profiles;
export const accounts_profiles_list = profiles;

export function accounts_users_list(ctx: Ctx): Reply {
  requireBrokerManager(ctx.state, ctx.principal);
  const page = paginate(queryUsers(ctx), ctx.request, ctx.query.page, ctx.query.page_size);
  return { status: 200, body: { ...page, results: page.results.map(renderUser) } };
}
