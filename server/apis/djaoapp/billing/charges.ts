/**
 * Processor charges: the broker's list, one charge, its receipt e-mailed again, and refunds of its line items. A
 * charge's line items are the order lines it paid (ChargeRecord.lines); refunds go through the ledger (refundLine).
 */
import { ApiError } from '../../../core/plugin.ts';
import { detail, fieldErrors, forbidden, notFound } from '../model/errors.ts';
import { accountBalance, readableAmount, refundedOnLine, refundLine, type TransactionRecord } from '../model/ledger.ts';
import { dateRange, listedAt, orderingWithDate } from './ledger-lists.ts';
import { matchesSearch, order, paginate, searchTerms } from '../model/lists.ts';
import { sendEmail } from '../model/outbox.ts';
import { renderCharge } from '../model/payments.ts';
import { isBrokerManager, isManager, requireBrokerManager, signedIn } from '../model/permissions.ts';
import { printableName, profileRecord } from '../model/render.ts';
import type { ChargeRecord, DjaoappState, UserRecord } from '../state.ts';
import type { Ctx, Reply } from '../model/context.ts';

const ORDER_FIELDS = ['created_at', 'amount', 'description', 'processor_key', 'state', 'customer'];
const SEARCH_FIELDS = ['description', 'processor_key', 'customer'];

export function charges_list(ctx: Ctx<'charges_list'>): Reply<'charges_list'> {
  requireBrokerManager(ctx.state, ctx.principal);
  const terms = searchTerms(ctx.query.q);
  const matched = ctx.state.charges.filter(
    (c) => listedAt(ctx, c.created_at) && matchesSearch({ ...c }, SEARCH_FIELDS, terms, ctx.query.q_f),
  );
  const sorted = order(matched, orderingWithDate(ctx.query.o), ctx.query.ot, ORDER_FIELDS, [
    '-created_at',
    'processor_key',
  ]);
  const page = paginate(sorted, ctx.request, ctx.query.page, ctx.query.page_size);
  const unit = sorted[0]?.unit ?? 'usd';
  const total = sorted.filter((c) => c.unit === unit).reduce((sum, c) => sum + c.amount, 0);
  return {
    status: 200,
    body: {
      ...dateRange(ctx),
      balance_amount: total,
      balance_unit: unit,
      total: String(total),
      unit,
      ...page,
      results: page.results.map(renderCharge),
    },
  };
}

/** The order lines a charge paid, by line item number (undefined where the ledger has no such line). */
function lineItems(state: DjaoappState, charge: ChargeRecord): (TransactionRecord | undefined)[] {
  return charge.lines.map((id) => state.transactions.find((tx) => tx.id === id));
}

/** The providers a charge paid (whose funds a refund comes from). */
function providersPaid(state: DjaoappState, charge: ChargeRecord): string[] {
  return [...new Set(lineItems(state, charge).flatMap((line) => (line ? [line.orig_organization] : [])))];
}

/** May refund it: the broker's managers and the managers of a provider it paid. */
function canRefund(state: DjaoappState, user: UserRecord, charge: ChargeRecord): boolean {
  return isBrokerManager(state, user) || providersPaid(state, charge).some((p) => isManager(state, user.slug, p));
}

/** May read it: those who may refund it, and the customer's managers. */
function canRead(state: DjaoappState, user: UserRecord, charge: ChargeRecord): boolean {
  return canRefund(state, user, charge) || isManager(state, user.slug, charge.customer);
}

/** The charge in the URL, for a caller allowed by `allowed`: 404 when there is no such charge, then 403. */
function chargeFor(
  ctx: Ctx & { params: { organization: string } },
  allowed: (state: DjaoappState, user: UserRecord, charge: ChargeRecord) => boolean,
): ChargeRecord {
  const user = signedIn(ctx.principal);
  const charge = ctx.state.charges.find((c) => c.processor_key === ctx.params.organization);
  if (!charge) throw notFound();
  if (!allowed(ctx.state, user, charge)) throw forbidden();
  return charge;
}

export function charges_retrieve(ctx: Ctx<'charges_retrieve'>): Reply<'charges_retrieve'> {
  return { status: 200, body: renderCharge(chargeFor(ctx, canRead)) };
}

export function charges_email(ctx: Ctx<'charges_email'>): Reply<'charges_email'> {
  const charge = chargeFor(ctx, canRead);
  const customer = profileRecord(ctx.state, charge.customer);
  const email = customer?.email ?? '';
  const amount = readableAmount(charge.amount, charge.unit);
  sendEmail(ctx.state, ctx.now(), {
    template: 'charge_receipt',
    to: [email],
    subject: `Receipt for your payment of ${amount}`,
    body: `${customer ? printableName(customer) : charge.customer}, here is the receipt of charge ${charge.processor_key}: ${amount} on the card ending in ${charge.last4} on ${charge.created_at}, ${charge.description}.\n`,
    context: { charge: charge.processor_key, amount, customer: charge.customer },
  });
  return { status: 200, body: { charge_id: charge.processor_key, email } };
}

/** How the refund error names a charge that is not done. */
const NOT_REFUNDABLE: Record<Exclude<ChargeRecord['state'], 'done'>, string> = {
  created: 'pending',
  failed: 'failed',
  disputed: 'disputed',
};

export interface LineRefund {
  line: TransactionRecord;
  amount: number;
}

/**
 * Checks a refund of some line items of `charge` against every rule and answers what to refund on which order line,
 * or throws the error (nothing is written here). Amounts asked twice for the same line add up.
 */
export function planRefund(
  state: DjaoappState,
  charge: ChargeRecord,
  requested: { num: number; refunded_amount: number }[],
): LineRefund[] {
  if (!requested.length) throw fieldErrors({ lines: ['This list may not be empty.'] });
  const lines = lineItems(state, charge);
  const problems = requested.map((r) =>
    lines[r.num] ? {} : { num: [`Charge ${charge.processor_key} has no line item ${r.num}.`] },
  );
  if (problems.some((p) => 'num' in p)) throw new ApiError(400, { lines: problems });
  if (charge.state !== 'done') throw detail(405, `You cannot refund a ${NOT_REFUNDABLE[charge.state]} charge.`);
  const asked = new Map<number, number>();
  for (const r of requested) asked.set(r.num, (asked.get(r.num) ?? 0) + r.refunded_amount);
  const refunds = [...asked].map(([num, amount]) => ({ line: lines[num]!, amount }));
  for (const { line, amount } of refunds) {
    const available = paidByCharge(state, charge, line) - refundedOnLine(state, line);
    if (amount > available) {
      const unit = line.dest_unit;
      throw detail(
        405,
        `Cannot refund ${readableAmount(amount, unit)} while there is only ${readableAmount(available, unit)} available on the line item.`,
      );
    }
  }
  const byProvider = new Map<string, number>();
  for (const { line, amount } of refunds)
    byProvider.set(line.orig_organization, (byProvider.get(line.orig_organization) ?? 0) + amount);
  for (const [provider, amount] of byProvider) {
    const funds = accountBalance(state, provider, 'Funds', charge.unit);
    if (funds < amount) {
      throw detail(
        405,
        `Cannot refund ${readableAmount(amount, charge.unit)}: the funds of ${provider} are only ${readableAmount(funds, charge.unit)}.`,
      );
    }
  }
  return refunds;
}

/** What the charge paid on an order line (its settlements of the line). */
function paidByCharge(state: DjaoappState, charge: ChargeRecord, line: TransactionRecord): number {
  return state.transactions
    .filter((tx) => tx.line === line.id && tx.event_id === charge.processor_key && tx.orig_account === 'Payable')
    .reduce((sum, tx) => sum + tx.orig_amount, 0);
}

export function charges_refund(ctx: Ctx<'charges_refund'>): Reply<'charges_refund'> {
  const charge = chargeFor(ctx, canRefund);
  const refunds = planRefund(ctx.state, charge, ctx.body.lines);
  const now = ctx.now();
  for (const { line, amount } of refunds) {
    refundLine(
      ctx.state,
      now,
      line,
      amount,
      charge.processor_key,
      `Refund of ${readableAmount(amount, line.dest_unit)} on charge ${charge.processor_key} for ${line.descr}`,
    );
  }
  const total = readableAmount(
    refunds.reduce((sum, r) => sum + r.amount, 0),
    charge.unit,
  );
  return {
    status: 200,
    body: { ...renderCharge(charge), detail: `${total} refunded successfully on charge ${charge.processor_key}.` },
  };
}
