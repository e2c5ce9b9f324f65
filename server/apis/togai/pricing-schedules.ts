/** Handlers of pricing schedules: update_pricing_schedule, update_pricing_schedule_batch, get_pricing_schedules. */
import { findAccount, newId, tenantOf, writableAccount, type Ctx, type Reply } from './context.ts';
import { badRequest } from './errors.ts';
import { decodeToken, encodeToken, pageAfter, pageSizeOf } from './paging.ts';
import { canonical, FOREVER, BEGINNING } from './periods.ts';
import { renderPlanOverride, renderSchedule } from './render.ts';
import { applyEdits, ScheduleError, type ScheduleEdit } from './schedule.ts';
import type { ScheduleSegment, StoredAccount } from './state.ts';

export function scheduleOf(ctx: Ctx, accountId: string): ScheduleSegment[] {
  return ctx.state.schedules[tenantOf(ctx)]?.[accountId] ?? [];
}

/** Runs edits against the account's schedule; stores the result unless it is a dry run. 400 for refused edits. */
export function editSchedule(
  ctx: Ctx,
  account: StoredAccount,
  edits: ScheduleEdit[],
  dryRun: boolean,
): ScheduleSegment[] {
  const tenant = tenantOf(ctx);
  let next: ScheduleSegment[];
  // Ids are drawn from a copy of the counter so a refused or dry-run edit leaves the store exactly as it was.
  const sequenceBefore = ctx.state.sequence;
  try {
    next = applyEdits(scheduleOf(ctx, account.id), edits, ctx.state.pricePlans[tenant] ?? {}, {
      schedule: () => newId(ctx, 'sch'),
      rule: () => newId(ctx, 'rule'),
    });
  } catch (error) {
    ctx.state.sequence = sequenceBefore;
    if (error instanceof ScheduleError) throw badRequest(error.message);
    throw error;
  }
  if (dryRun) {
    ctx.state.sequence = sequenceBefore;
    return next;
  }
  (ctx.state.schedules[tenant] ??= {})[account.id] = next;
  account.updatedAt = ctx.now().toISOString();
  return next;
}

function scheduleResponse(
  ctx: Ctx,
  account: StoredAccount,
  segments: ScheduleSegment[],
): { status: 200; body: unknown } {
  return {
    status: 200,
    body: {
      accountId: account.id,
      accountName: account.name,
      pricingSchedules: segments.map((s) => renderPlanOverride(ctx.state, tenantOf(ctx), s)),
    },
  };
}

export function update_pricing_schedule(ctx: Ctx<'update_pricing_schedule'>): Reply<'update_pricing_schedule'> {
  const account = writableAccount(ctx, ctx.params.account_id);
  const { preActions, ...edit } = ctx.body;
  for (const action of preActions ?? []) {
    const missing = ['licenseId', 'updateType', 'quantity'].filter((k) => action.config?.[k] === undefined);
    if (missing.length) throw badRequest(`preActions ${action.type} needs config ${missing.join(', ')}`);
  }
  return scheduleResponse(ctx, account, editSchedule(ctx, account, [edit], false));
}

export function update_pricing_schedule_batch(
  ctx: Ctx<'update_pricing_schedule_batch'>,
): Reply<'update_pricing_schedule_batch'> {
  const account = writableAccount(ctx, ctx.params.account_id);
  const { edits } = ctx.body;
  const dryRun = ctx.query.dry_run === true;
  return scheduleResponse(ctx, account, editSchedule(ctx, account, edits, dryRun));
}

export function get_pricing_schedules(ctx: Ctx<'get_pricing_schedules'>): Reply<'get_pricing_schedules'> {
  const account = findAccount(ctx, ctx.params.account_id);
  let query: Record<string, string>;
  let size: number;
  let after: { key: string; id: string } | undefined;
  if (ctx.query.nextToken !== undefined) {
    const token = decodeToken(String(ctx.query.nextToken));
    query = token.query ?? {};
    size = token.pageSize;
    after = { key: token.lastSortValue ?? '', id: token.lastItemId };
  } else {
    query = {};
    for (const name of ['start_date', 'end_date', 'include_price_plan_info', 'compact'] as const)
      if (ctx.query[name] !== undefined) query[name] = String(ctx.query[name]);
    size = pageSizeOf(ctx.query.pageSize);
  }
  const from = query.start_date ? canonical(query.start_date, 'start_date') : BEGINNING;
  const until = query.end_date ? canonical(query.end_date, 'end_date') : FOREVER;
  if (until < from) throw badRequest('end_date must not be before start_date');
  const segments = scheduleOf(ctx, account.id).filter((s) => s.startDate <= until && from < s.endDate);
  const key = (s: ScheduleSegment) => ({ key: s.startDate, id: s.id });
  const order = (a: { key: string; id: string }, b: { key: string; id: string }) =>
    a.key !== b.key ? (a.key < b.key ? -1 : 1) : a.id === b.id ? 0 : a.id < b.id ? -1 : 1;
  const page = pageAfter(segments, size, after, key, order);
  const options = { compact: query.compact === 'true', includePricePlanInfo: query.include_price_plan_info === 'true' };
  const body: Record<string, unknown> = {
    data: page.items.map((s) => renderSchedule(ctx.state, tenantOf(ctx), s, options)),
  };
  if (page.more) {
    const last = page.items[page.items.length - 1]!;
    body.nextToken = encodeToken({
      lastItemId: last.id,
      lastSortValue: last.startDate,
      pageSize: size,
      sortOrder: 'asc',
      sortBy: 'start_date',
      query,
    });
  }
  return { status: 200, body };
}
