/**
 * The broker's balance sheets (/api/metrics/balances/{report}/): named reports whose rows (balance lines) each sum
 * the accounts a selector picks, quarter by quarter over the last year. Rows are kept at ranks 1..n, their positions:
 * inserting at a rank shifts the rows from there down, moving or deleting one closes the gap.
 */
import { fieldErrors, notFound } from '../model/errors.ts';
import { paginate, parseDate } from '../model/lists.ts';
import { seriesPoints } from './series.ts';
import { providerUnit, selectorBalances } from './tables.ts';
import { requireBrokerManager } from '../model/permissions.ts';
import type { BalanceLineRecord, DjaoappState } from '../state.ts';
import type { Ctx, Reply } from '../model/context.ts';

/** The report's rows, by rank. */
function linesOf(state: DjaoappState, report: string): BalanceLineRecord[] {
  return state.balance_lines.filter((l) => l.report === report).sort((a, b) => a.rank - b.rank);
}

/** Puts `line` at position `rank` (clamped to the rows there are) and renumbers the report's rows 1..n. */
export function placeLine(lines: BalanceLineRecord[], line: BalanceLineRecord, rank: number): void {
  const others = lines.filter((l) => l !== line).sort((a, b) => a.rank - b.rank);
  const at = Math.min(Math.max(rank, 1), others.length + 1) - 1;
  [...others.slice(0, at), line, ...others.slice(at)].forEach((l, i) => (l.rank = i + 1));
}

function renderLine(line: BalanceLineRecord) {
  return { title: line.title, selector: line.selector, rank: line.rank };
}

function lineOr404(ctx: Ctx & { params: { rank: number; report: string } }): BalanceLineRecord {
  const line = linesOf(ctx.state, ctx.params.report).find((l) => l.rank === ctx.params.rank);
  if (!line) throw notFound();
  return line;
}

function checkTitleFree(lines: BalanceLineRecord[], title: string, except?: BalanceLineRecord): void {
  if (lines.some((l) => l !== except && l.title === title))
    throw fieldErrors({ title: [`The report already has a row titled "${title}".`] });
}

/** Each row's balance at the first of every third month over the last year, then at ends_at (default now). */
export function metrics_balance_sheet_retrieve(
  ctx: Ctx<'metrics_balance_sheet_retrieve'>,
): Reply<'metrics_balance_sheet_retrieve'> {
  requireBrokerManager(ctx.state, ctx.principal);
  const { report } = ctx.params;
  const points = seriesPoints(parseDate(ctx.query.ends_at, ctx.now())!, 5, 3);
  const unit = providerUnit(ctx.state, ctx.state.broker);
  const table = linesOf(ctx.state, report).map((line) => ({
    key: line.title,
    selector: line.selector,
    values: selectorBalances(ctx.state, line.selector, unit, points),
  }));
  return { status: 200, body: { title: `Balances: ${report}`, scale: 0.01, unit, table } };
}

export function metrics_balance_lines_list(
  ctx: Ctx<'metrics_balance_lines_list'>,
): Reply<'metrics_balance_lines_list'> {
  requireBrokerManager(ctx.state, ctx.principal);
  const page = paginate(linesOf(ctx.state, ctx.params.report), ctx.request, ctx.query.page, ctx.query.page_size);
  return { status: 200, body: { ...page, results: page.results.map(renderLine) } };
}

export function metrics_balance_lines_create(
  ctx: Ctx<'metrics_balance_lines_create'>,
): Reply<'metrics_balance_lines_create'> {
  requireBrokerManager(ctx.state, ctx.principal);
  const input = ctx.body;
  const lines = linesOf(ctx.state, ctx.params.report);
  checkTitleFree(lines, input.title);
  const line: BalanceLineRecord = {
    report: ctx.params.report,
    title: input.title,
    selector: input.selector ?? '',
    rank: input.rank,
  };
  ctx.state.balance_lines.push(line);
  placeLine(lines, line, input.rank);
  return { status: 201, body: renderLine(line) };
}

export function metrics_balance_line_retrieve(
  ctx: Ctx<'metrics_balance_line_retrieve'>,
): Reply<'metrics_balance_line_retrieve'> {
  requireBrokerManager(ctx.state, ctx.principal);
  return { status: 200, body: renderLine(lineOr404(ctx)) };
}

export function metrics_balance_line_update(
  ctx: Ctx<'metrics_balance_line_update'>,
): Reply<'metrics_balance_line_update'> {
  requireBrokerManager(ctx.state, ctx.principal);
  const line = lineOr404(ctx);
  const input = ctx.body;
  const lines = linesOf(ctx.state, ctx.params.report);
  checkTitleFree(lines, input.title, line);
  line.title = input.title;
  if (input.selector !== undefined) line.selector = input.selector;
  placeLine(lines, line, input.rank);
  return { status: 200, body: renderLine(line) };
}

export function metrics_balance_line_destroy(
  ctx: Ctx<'metrics_balance_line_destroy'>,
): Reply<'metrics_balance_line_destroy'> {
  requireBrokerManager(ctx.state, ctx.principal);
  const line = lineOr404(ctx);
  ctx.state.balance_lines = ctx.state.balance_lines.filter((l) => l !== line);
  linesOf(ctx.state, ctx.params.report).forEach((l, i) => (l.rank = i + 1));
  return { status: 204 };
}
